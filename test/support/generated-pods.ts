/**
 * A file of `n` two-container Pods as a generator or `helm template` writes them (~500 bytes
 * each): what the scale test accepts and what `npm run bench` plans and validates.
 */
export function generatedPods(n: number): string {
  let text = "";
  for (let i = 0; i < n; i++)
    text += `---
apiVersion: v1
kind: Pod
metadata:
  name: gen-${i}
  labels: {app: gen, index: "${i}"}
spec:
  terminationGracePeriodSeconds: 0
  containers:
    - name: web
      image: localhost/busybox:test
      imagePullPolicy: Never
      command: ["httpd", "-f", "-p", "8080"]
      ports: [{containerPort: 8080}]
      env: [{name: INDEX, value: "${i}"}]
      resources: {limits: {memory: 64Mi, cpu: 100m}}
    - name: side
      image: localhost/busybox:test
      imagePullPolicy: Never
      command: ["sleep", "3600"]
`;
  return text;
}
