/** Manifests for the end-to-end tests, built with a free port and a fresh hostPath folder. */

export interface CoreManifestOptions {
  readonly pod: string;
  readonly hostPort: number;
  readonly outDir: string;
  readonly message: string;
}

/**
 * The core scenario: an init container seeds an emptyDir, httpd serves it on a hostPort bound
 * to 127.0.0.1, and a sidecar fetches from httpd over localhost into a hostPath folder.
 */
export function coreManifest(o: CoreManifestOptions): string {
  return `apiVersion: v1
kind: Pod
metadata:
  name: ${o.pod}
  labels:
    app: ${o.pod}
spec:
  terminationGracePeriodSeconds: 0
  initContainers:
    - name: seed
      image: localhost/busybox:test
      command: ["sh", "-c", "echo '${o.message}' > /www/index.html"]
      volumeMounts:
        - name: www
          mountPath: /www
  containers:
    - name: web
      image: localhost/busybox:test
      command: ["httpd", "-f", "-p", "8080", "-h", "/www"]
      ports:
        - containerPort: 8080
          hostPort: ${o.hostPort}
          hostIP: 127.0.0.1
      volumeMounts:
        - name: www
          mountPath: /www
          readOnly: true
    - name: fetcher
      image: localhost/busybox:test
      command:
        - sh
        - -c
        - |
          until wget -q -O /out/reply.tmp http://localhost:8080/index.html; do sleep 0.2; done
          mv /out/reply.tmp /out/reply.html
          exec sleep 3600
      volumeMounts:
        - name: out
          mountPath: /out
  volumes:
    - name: www
      emptyDir: {}
    - name: out
      hostPath:
        path: ${o.outDir}
        type: DirectoryOrCreate
`;
}
