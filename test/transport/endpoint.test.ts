/** Addresses kplay is given: which it can use, and what it says about one it cannot. */
import { expect, test } from "bun:test";
import { describeUnusableEndpoint, parseEndpoint } from "../../src/transport/endpoint.ts";

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
    '--url "ftp://example.invalid/" is not a Podman address (use unix:///path or tcp://host:port)',
  );
});
