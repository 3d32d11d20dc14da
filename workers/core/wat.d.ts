// `import bytes from './kernels.wat'` gives the compiled WebAssembly binary (scripts/wasm-plugin.mjs).
declare module '*.wat' {
  const bytes: Uint8Array<ArrayBuffer>;
  export default bytes;
}
