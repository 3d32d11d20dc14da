// The network part of the NumPy export: the trained parameters, the activations, forward propagation
// and one pass of backpropagation, in the seed notes' numpy style (np.dot, keepdims).
import { LEAKY_RELU_SLOPE, layerSizes } from '../../../workers/core/types.ts';
import type { Activation, OutputActivation } from '../../../workers/core/types.ts';
import type { PackedNetwork } from '../../../workers/core/packed.ts';
import { pyFloat, pyMatrix } from './numpy-literals.ts';

function activationCall(act: Activation | OutputActivation, z: string): string {
  switch (act) {
    case 'sigmoid':
      return `sigmoid(${z})`;
    case 'tanh':
      return `np.tanh(${z})`;
    case 'relu':
      return `relu(${z})`;
    case 'leaky_relu':
      return `leaky_relu(${z})`;
    case 'linear':
      return z;
    case 'softmax':
      return `softmax(${z})`;
  }
}

/** g'(Z[l]) in numpy, from the cached Z[l] and A[l] (notes' forms). */
function derivativeExpr(act: Activation, l: number): string {
  switch (act) {
    case 'sigmoid':
      return `A${l} * (1 - A${l})`;
    case 'tanh':
      return `(1 - np.power(A${l}, 2))`;
    case 'relu':
      return `(Z${l} > 0)`;
    case 'leaky_relu':
      return `np.where(Z${l} > 0, 1.0, ${pyFloat(LEAKY_RELU_SLOPE)})`;
    case 'linear':
      return '1.0';
  }
}

/** The backward function: the notes' vectorized backpropagation with this network's layers. */
export function backwardLines(net: PackedNetwork): string[] {
  const L = net.params.length;
  const o: string[] = [];
  o.push('def backward(X, Y, lambd=0.0):');
  o.push(
    '    """One pass of backpropagation in the notes\' notation (no dropout), for study: returns the cost J',
  );
  o.push(
    '    and the gradients {"dW1": ..., "db1": ...}. X is (n_x, m) after the recipe (see features()); Y is',
  );
  o.push(
    '    (n_y, m) as the app encodes it: one-hot rows, one 0/1 row, or the standardized target."""',
  );
  o.push('    m = X.shape[1]');
  o.push('    A0 = X');
  for (let l = 1; l <= L; l++) {
    const act: Activation | OutputActivation =
      l === L ? net.spec.output : net.spec.hidden[l - 1].activation;
    o.push(`    Z${l} = np.dot(W${l}, A${l - 1}) + b${l}`);
    o.push(`    A${l} = ${activationCall(act, `Z${l}`)}`);
  }
  switch (net.spec.output) {
    case 'sigmoid':
      o.push(
        '    # J = -1/m sum(Y log A + (1 - Y) log(1 - A)), written with the logits: log(1 + e^Z) - Y Z',
      );
      o.push(`    cost = 1 / m * np.sum(np.logaddexp(0, Z${L}) - Y * Z${L})`);
      break;
    case 'softmax':
      o.push('    # J = -1/m sum(Y log A), with log A = Z - max - log(sum(exp(Z - max)))');
      o.push(`    Zs = Z${L} - np.max(Z${L}, axis=0, keepdims=True)`);
      o.push(
        '    cost = -1 / m * np.sum(Y * (Zs - np.log(np.sum(np.exp(Zs), axis=0, keepdims=True))))',
      );
      break;
    case 'linear':
      o.push(`    cost = 1 / (2 * m) * np.sum(np.square(A${L} - Y))`);
      break;
  }
  o.push(
    `    cost = cost + lambd / (2 * m) * (${Array.from({ length: L }, (_, i) => `np.sum(np.square(W${i + 1}))`).join(' + ')})`,
  );
  o.push(`    dZ${L} = A${L} - Y`);
  for (let l = L; l >= 1; l--) {
    o.push(`    dW${l} = 1 / m * np.dot(dZ${l}, A${l - 1}.T) + lambd / m * W${l}`);
    o.push(`    db${l} = 1 / m * np.sum(dZ${l}, axis=1, keepdims=True)`);
    if (l > 1) {
      o.push(`    dA${l - 1} = np.dot(W${l}.T, dZ${l})`);
      o.push(
        `    dZ${l - 1} = dA${l - 1} * ${derivativeExpr(net.spec.hidden[l - 2].activation, l - 1)}`,
      );
    }
  }
  o.push(
    `    return cost, {${Array.from({ length: L }, (_, i) => `"dW${i + 1}": dW${i + 1}, "db${i + 1}": db${i + 1}`).join(', ')}}`,
  );
  return o;
}

/** W1, b1, W2, ... as numpy arrays with the notes' shapes. */
export function weightLines(net: PackedNetwork): string[] {
  const sizes = layerSizes(net.spec);
  const L = sizes.length - 1;
  const o: string[] = [];
  o.push('# Trained parameters: W[l] is (n_l, n_{l-1}), b[l] is (n_l, 1).');
  for (let l = 1; l <= L; l++) {
    const p = net.params[l - 1];
    o.push(`W${l} = ${pyMatrix(p.W, sizes[l], sizes[l - 1], '')}`);
    o.push(`b${l} = ${pyMatrix(p.b, sizes[l], 1, '')}`);
  }
  return o;
}

/** The activations the network may use (sigmoid written so that it never overflows). */
export function activationLines(): string[] {
  const o: string[] = [];
  o.push('def sigmoid(Z):');
  o.push('    # 1 / (1 + e^-Z), written so that large |Z| never overflows');
  o.push(
    '    return np.where(Z >= 0, 1 / (1 + np.exp(-np.abs(Z))), np.exp(-np.abs(Z)) / (1 + np.exp(-np.abs(Z))))',
  );
  o.push('');
  o.push('');
  o.push('def relu(Z):');
  o.push('    return np.maximum(0, Z)');
  o.push('');
  o.push('');
  o.push('def leaky_relu(Z):');
  o.push(`    return np.where(Z > 0, Z, ${pyFloat(LEAKY_RELU_SLOPE)} * Z)`);
  o.push('');
  o.push('');
  o.push('def softmax(Z):');
  o.push('    # subtract the column maximum first: same result, no overflow');
  o.push('    E = np.exp(Z - np.max(Z, axis=0, keepdims=True))');
  o.push('    return E / np.sum(E, axis=0, keepdims=True)');
  return o;
}

/** forward(X): Z[l] = W[l] A[l-1] + b[l], A[l] = g[l](Z[l]); returns A[L]. */
export function forwardLines(net: PackedNetwork): string[] {
  const L = net.params.length;
  const o: string[] = [];
  o.push('def forward(X):');
  o.push(
    '    """Forward propagation, no dropout: Z[l] = W[l] A[l-1] + b[l], A[l] = g[l](Z[l])."""',
  );
  o.push('    A0 = X');
  for (let l = 1; l <= L; l++) {
    const act: Activation | OutputActivation =
      l === L ? net.spec.output : net.spec.hidden[l - 1].activation;
    o.push(`    Z${l} = np.dot(W${l}, A${l - 1}) + b${l}`);
    o.push(`    A${l} = ${activationCall(act, `Z${l}`)}`);
  }
  o.push(`    return A${L}`);
  return o;
}
