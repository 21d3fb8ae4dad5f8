/**
 * kplay's YAML decoder: manifests read exactly as Kubernetes reads them (README below).
 * @module
 */
export { decodeYamlBytes, type YamlBytesDecoded } from "./bytes.ts";
export { decodeYamlText } from "./decode.ts";
export type {
  YamlDecoded,
  YamlDocument,
  YamlLimits,
  YamlLocation,
  YamlMap,
  YamlProblem,
  YamlValue,
} from "./types.ts";
