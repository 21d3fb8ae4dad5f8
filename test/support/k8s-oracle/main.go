// Command k8s-oracle decodes manifests exactly as kubectl does, for kplay's differential test.
//
// It reads inputs framed as a 4-byte big-endian length and the bytes, and prints one JSON
// line per input: {"docs": [...], "error": "...", "strict": "...", "collision": "..."}.
//
// The stream handling restates k8s.io/apimachinery/pkg/util/yaml (NewYAMLOrJSONDecoder with
// kubectl's 4096-byte sniff, YAMLReader and LineReader over bufio.Reader.ReadLine, the JSON
// fallback with consumeWhitespace) because that package cannot be built from Debian's GOPATH;
// each YAML chunk goes through the real sigs.k8s.io/yaml YAMLToJSON (gopkg.in/yaml.v2).
// Like kubectl's StreamVisitor, a document whose JSON is empty or `null` is skipped.
//
// "strict" is YAMLToJSONStrict's error for the first chunk that has one (duplicate keys,
// merge collisions), or a duplicate key of a JSON document. "collision" names a mapping whose
// distinct YAML keys become one JSON key (1 and "1"): Go's map order then picks the value at
// random, so no decoder can agree with it. A JSON document's numbers are also checked the way
// Kubernetes converts them next (int64, else float64), which refuses 1e400.
package main

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	goyaml "gopkg.in/yaml.v2"
	"sigs.k8s.io/yaml"
)

type result struct {
	Docs      []json.RawMessage `json:"docs"`
	Error     string            `json:"error,omitempty"`
	Strict    string            `json:"strict,omitempty"`
	Collision string            `json:"collision,omitempty"`
}

// readLine is apimachinery's LineReader.Read: one line without "\n" or "\r\n", plus "\n".
func readLine(r *bufio.Reader) ([]byte, error) {
	var buf bytes.Buffer
	isPrefix := true
	var err error
	var line []byte
	for isPrefix && err == nil {
		line, isPrefix, err = r.ReadLine()
		buf.Write(line)
	}
	buf.WriteByte('\n')
	return buf.Bytes(), err
}

// readChunk is apimachinery's YAMLReader.Read.
func readChunk(r *bufio.Reader) ([]byte, error) {
	var buffer bytes.Buffer
	for {
		line, err := readLine(r)
		if err != nil && err != io.EOF {
			return nil, err
		}
		if bytes.HasPrefix(line, []byte("---")) {
			trimmed := strings.TrimSpace(string(line[3:]))
			if len(trimmed) > 0 && trimmed[0] != '#' {
				return nil, fmt.Errorf("invalid Yaml document separator: %s", trimmed)
			}
			if buffer.Len() != 0 {
				return buffer.Bytes(), nil
			}
			if err == io.EOF {
				return nil, err
			}
		}
		if err == io.EOF {
			if buffer.Len() != 0 {
				return buffer.Bytes(), nil
			}
			return nil, err
		}
		buffer.Write(line)
	}
}

func (res *result) addYAML(chunk []byte) error {
	j, err := yaml.YAMLToJSON(chunk)
	if err != nil {
		return fmt.Errorf("error converting YAML to JSON: %v", err)
	}
	if _, err := yaml.YAMLToJSONStrict(chunk); err != nil && res.Strict == "" {
		res.Strict = err.Error()
	}
	if res.Collision == "" {
		var v interface{}
		if goyaml.Unmarshal(chunk, &v) == nil {
			res.Collision = collision(v)
		}
	}
	res.add(j)
	return nil
}

func (res *result) add(j []byte) {
	t := bytes.TrimSpace(j)
	if len(t) == 0 || string(t) == "null" {
		return
	}
	res.Docs = append(res.Docs, json.RawMessage(t))
}

// collision reports a mapping whose keys convert to the same JSON key, as
// sigs.k8s.io/yaml's convertToJSONableObject converts them.
func collision(v interface{}) string {
	switch t := v.(type) {
	case map[interface{}]interface{}:
		seen := map[string]bool{}
		for k, e := range t {
			var s string
			switch key := k.(type) {
			case string:
				s = key
			case int:
				s = strconv.Itoa(key)
			case int64:
				s = strconv.FormatInt(key, 10)
			case float64:
				s = strconv.FormatFloat(key, 'g', -1, 32)
			case bool:
				s = strconv.FormatBool(key)
			default:
				continue
			}
			if seen[s] {
				return "two keys become " + strconv.Quote(s)
			}
			seen[s] = true
			if c := collision(e); c != "" {
				return c
			}
		}
	case []interface{}:
		for _, e := range t {
			if c := collision(e); c != "" {
				return c
			}
		}
	}
	return ""
}

// addJSON normalises a JSON document as Kubernetes reads it next (numbers kept as written,
// invalid UTF-8 as U+FFFD, a repeated key's last value) and notes a repeated key as strict.
func (res *result) addJSON(raw []byte) error {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var v interface{}
	if err := d.Decode(&v); err != nil {
		return err
	}
	if err := checkNumbers(v); err != nil {
		return err
	}
	if res.Strict == "" {
		if dup := duplicateJSONKey(json.NewDecoder(bytes.NewReader(raw))); dup != "" {
			res.Strict = "duplicate field " + strconv.Quote(dup)
		}
	}
	j, err := json.Marshal(v)
	if err != nil {
		return err
	}
	res.add(j)
	return nil
}

func checkNumbers(v interface{}) error {
	switch t := v.(type) {
	case json.Number:
		if _, err := t.Int64(); err == nil {
			return nil
		}
		if _, err := t.Float64(); err != nil {
			return fmt.Errorf("json: cannot convert number %s: %v", t, err)
		}
	case map[string]interface{}:
		for _, e := range t {
			if err := checkNumbers(e); err != nil {
				return err
			}
		}
	case []interface{}:
		for _, e := range t {
			if err := checkNumbers(e); err != nil {
				return err
			}
		}
	}
	return nil
}

// duplicateJSONKey walks one JSON value token by token and returns a key repeated in an object.
func duplicateJSONKey(d *json.Decoder) string {
	type frame struct {
		object bool
		keys   map[string]bool
		expect bool // an object expects a key next
	}
	var stack []*frame
	for {
		tok, err := d.Token()
		if err != nil {
			return ""
		}
		top := (*frame)(nil)
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if top != nil && top.object && top.expect {
			if k, ok := tok.(string); ok {
				if top.keys[k] {
					return k
				}
				top.keys[k] = true
				top.expect = false
				continue
			}
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, &frame{object: true, keys: map[string]bool{}, expect: true})
			continue
		case json.Delim('['):
			stack = append(stack, &frame{})
			continue
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
		}
		if len(stack) == 0 {
			return ""
		}
		if t := stack[len(stack)-1]; t.object {
			t.expect = true
		}
	}
}

// consumeWhitespace is YAMLOrJSONDecoder.consumeWhitespace on data[pos:]: it returns where
// YAML decoding starts, or false where kubectl gives up (fewer than 4 bytes, invalid UTF-8).
func consumeWhitespace(data []byte, pos int) (int, bool) {
	for {
		if len(data)-pos < 4 {
			return pos, false
		}
		r, sz := utf8.DecodeRune(data[pos : pos+4])
		if r == utf8.RuneError || sz == 0 {
			return pos, false
		}
		if !unicode.IsSpace(r) {
			return pos, true
		}
		pos += sz
		if r == '\n' {
			return pos, true
		}
	}
}

func decode(data []byte) (res result) {
	res.Docs = []json.RawMessage{}
	defer func() {
		if r := recover(); r != nil {
			res.Error = fmt.Sprintf("panic: %v", r)
		}
	}()
	pos := 0
	peek := data
	if len(peek) > 4096 {
		peek = peek[:4096]
	}
	if bytes.HasPrefix(bytes.TrimLeftFunc(peek, unicode.IsSpace), []byte("{")) {
		count := 0
		for {
			d := json.NewDecoder(bytes.NewReader(data[pos:]))
			var raw json.RawMessage
			err := d.Decode(&raw)
			if err == nil {
				count++
				pos += int(d.InputOffset())
				if err := res.addJSON(raw); err != nil {
					res.Error = err.Error()
					return
				}
				continue
			}
			if err == io.EOF {
				return
			}
			if count > 1 {
				res.Error = err.Error()
				return
			}
			next, ok := consumeWhitespace(data, pos)
			if !ok {
				res.Error = err.Error()
				return
			}
			pos = next
			break
		}
	}
	r := bufio.NewReader(bytes.NewReader(data[pos:]))
	for {
		chunk, err := readChunk(r)
		if len(chunk) != 0 {
			if err := res.addYAML(chunk); err != nil {
				res.Error = err.Error()
				return
			}
		}
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			res.Error = err.Error()
			return
		}
	}
}

func main() {
	in := bufio.NewReader(os.Stdin)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for {
		var n uint32
		if err := binary.Read(in, binary.BigEndian, &n); err != nil {
			return
		}
		data := make([]byte, n)
		if _, err := io.ReadFull(in, data); err != nil {
			return
		}
		b, _ := json.Marshal(decode(data))
		out.Write(b)
		out.WriteByte('\n')
	}
}
