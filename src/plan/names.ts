/** The Podman name of a container: `<pod>-<container>`, as `podman kube play` names it. */
export function containerName(pod: string, container: string): string {
  return `${pod}-${container}`;
}
