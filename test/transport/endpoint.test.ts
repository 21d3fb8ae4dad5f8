/** Addresses kplay is given: which it can use, and what it says about one it cannot. */
import { expect, test } from "bun:test";
import { describeUnusableEndpoint, parseEndpoint } from "../../src/transport/endpoint.ts";
import { sshArgs } from "../../src/transport/ssh.ts";
import { describeEndpoint } from "../../src/transport/types.ts";

test("unix://, unix:, a bare path and tcp:// are addresses; npipe:// and ftp:// are not", () => {
  expect(parseEndpoint("unix:///run/podman/podman.sock")).toEqual({
    kind: "unix",
    path: "/run/podman/podman.sock",
  });
  // What `podman machine inspect` gives on macOS: a socket under $TMPDIR, nothing Linux about it.
  expect(parseEndpoint("unix:///var/folders/x/T/podman/podman-machine-default-api.sock")).toEqual({
    kind: "unix",
    path: "/var/folders/x/T/podman/podman-machine-default-api.sock",
  });
  expect(parseEndpoint("tcp://127.0.0.1:8888")).toEqual({
    kind: "tcp",
    host: "127.0.0.1",
    port: 8888,
  });
  expect(parseEndpoint("npipe:////./pipe/podman-machine-default")).toBeUndefined();
  expect(parseEndpoint("ftp://example.invalid/")).toBeUndefined();
});

test("a Windows named pipe is named as such, with what to do instead", () => {
  expect(
    describeUnusableEndpoint({
      url: "npipe:////./pipe/podman-machine-default",
      source: "CONTAINER_HOST",
    }),
  ).toBe(
    'CONTAINER_HOST "npipe:////./pipe/podman-machine-default" is a Windows named pipe, which kplay cannot open yet: run kplay inside the Podman machine (podman machine ssh), or give a tcp://host:port address that reaches its API',
  );
  expect(describeUnusableEndpoint({ url: "ftp://example.invalid/", source: "--url" })).toBe(
    '--url "ftp://example.invalid/" is not a Podman address (use unix:///path, tcp://host:port or ssh://user@host/path/to/podman.sock)',
  );
});

test("ssh:// addresses name the user, host, port and the socket's full path; no passwords", () => {
  expect(parseEndpoint("ssh://core@127.0.0.1:2222/run/user/1000/podman/podman.sock")).toEqual({
    kind: "ssh",
    user: "core",
    host: "127.0.0.1",
    port: 2222,
    path: "/run/user/1000/podman/podman.sock",
  });
  expect(parseEndpoint("ssh://[::1]/run/podman/podman.sock", "/keys/id")).toEqual({
    kind: "ssh",
    host: "::1",
    path: "/run/podman/podman.sock",
    identity: "/keys/id",
  });
  // Podman asks the remote podman for a missing path; kplay needs it written out.
  expect(parseEndpoint("ssh://core@host")).toBeUndefined();
  expect(parseEndpoint("ssh://core@host/")).toBeUndefined();
  expect(parseEndpoint("ssh://core:secret@host/run/podman/podman.sock")).toBeUndefined();
  expect(parseEndpoint("ssh://core@host:99999/run/podman/podman.sock")).toBeUndefined();
  expect(describeUnusableEndpoint({ url: "ssh://core@host", source: "CONTAINER_HOST" })).toContain(
    "is not a usable ssh address: write ssh://[user@]host[:port]/path/to/podman.sock",
  );
});

test("the ssh command line never prompts and forwards a local socket to Podman's", () => {
  const endpoint = parseEndpoint("ssh://core@example.test:2222/run/podman/podman.sock", "/k/id");
  if (endpoint?.kind !== "ssh") throw new Error("not ssh");
  expect(sshArgs(endpoint, "/tmp/x/podman.sock")).toEqual([
    "-N",
    "-T",
    "-o",
    "BatchMode=yes",
    "-o",
    "ExitOnForwardFailure=yes",
    "-o",
    "StreamLocalBindUnlink=yes",
    "-p",
    "2222",
    "-i",
    "/k/id",
    "-l",
    "core",
    "-L",
    "/tmp/x/podman.sock:/run/podman/podman.sock",
    "--",
    "example.test",
  ]);
  expect(describeEndpoint(endpoint)).toBe("ssh://core@example.test:2222/run/podman/podman.sock");
});
