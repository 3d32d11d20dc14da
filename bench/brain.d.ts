// brain.js 1.6.1 ships no types for its per-module files; the bench uses only NeuralNetwork.
declare module 'brain.js/dist/neural-network.js' {
  const NeuralNetwork: unknown;
  export default NeuralNetwork;
}
