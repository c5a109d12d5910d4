"""The text's models in NumPy: forward passes, gradients, weights, Adam.

The judge draws its own weights (draw_weights) and recomputes from them
what Keras should answer: each model's outputs on the judge's inputs, the
loss, and the weights after each of several training steps (Adam). A
model is a list of the text's layer rows (grading/check/text.py) and, for
every row after the input,
that layer's weights ([kernel, bias], or [] for pooling and upsampling).
Everything is computed in float64.
"""
import numpy as np

from grading.check.text import ADAM, CONV, POOL, RELU, SIGMOID, UP
from tools.losses import EPSILON, binary_crossentropy


def activate(name, x):
    """Apply the activation called name (relu, sigmoid or linear)."""
    if name == RELU:
        return np.maximum(x, 0.0)
    if name == SIGMOID:
        return 1.0 / (1.0 + np.exp(-x))
    return x


def patches(x, size, padding):
    """Return every size x size patch of x (N, H, W, C), flattened.

    The result is (N, H', W', size * size * C), in the order of a Keras
    kernel's first three axes, so that patches @ kernel.reshape(-1, out)
    is the convolution.
    """
    if padding == 'same':
        border = (size - 1) // 2
        x = np.pad(x, ((0, 0), (border, border), (border, border), (0, 0)))
    count, height, width, channels = x.shape
    rows, columns = height - size + 1, width - size + 1
    cols = np.empty((count, rows, columns, size, size, channels))
    for i in range(size):
        for j in range(size):
            cols[:, :, :, i, j, :] = x[:, i:i + rows, j:j + columns, :]
    return cols.reshape(count, rows, columns, -1)


def unpatch(d_cols, shape, size, padding):
    """Return the gradient on x (of shape) from one on its patches."""
    border = (size - 1) // 2 if padding == 'same' else 0
    count, height, width, channels = shape
    padded = np.zeros((count, height + 2 * border, width + 2 * border,
                       channels))
    rows, columns = d_cols.shape[1:3]
    d_cols = d_cols.reshape(count, rows, columns, size, size, channels)
    for i in range(size):
        for j in range(size):
            padded[:, i:i + rows, j:j + columns, :] += d_cols[:, :, :, i, j, :]
    return padded[:, border:border + height, border:border + width, :]


def pool_windows(x):
    """Return x's 2x2 windows, (N, H', W', C, 4), padded as 'same' pools."""
    count, height, width, channels = x.shape
    rows, columns = -(-height // 2), -(-width // 2)
    padded = np.full((count, 2 * rows, 2 * columns, channels), -np.inf)
    padded[:, :height, :width, :] = x
    return padded.reshape(count, rows, 2, columns, 2, channels).transpose(
        0, 1, 3, 5, 2, 4).reshape(count, rows, columns, channels, 4)


def layer_forward(row, weights, x):
    """Return one layer's (pre-activation, output) on x."""
    kind, activation, _, details = row
    if kind == 'Dense':
        kernel, bias = weights
        pre = x @ kernel + bias
    elif kind == CONV:
        kernel, bias = weights
        size, padding = kernel.shape[0], details[1]
        pre = patches(x, size, padding) @ kernel.reshape(
            -1, kernel.shape[-1]) + bias
    elif kind == POOL:
        return None, pool_windows(x).max(axis=-1)
    elif kind == UP:
        return None, np.repeat(np.repeat(x, 2, axis=1), 2, axis=2)
    else:
        raise ValueError('no NumPy layer for {}'.format(kind))
    return pre, activate(activation, pre)


def forward(rows, weights, x):
    """Return the outputs of every layer after the input, in order.

    rows include the input layer; weights holds one list per later row.
    """
    outputs = [np.asarray(x, 'float64')]
    for row, layer_weights in zip(rows[1:], weights):
        outputs.append(layer_forward(row, layer_weights, outputs[-1])[1])
    return outputs[1:]


def predict(rows, weights, x, chunk=64):
    """Return the model's output on x, computed chunk inputs at a time."""
    return np.concatenate([forward(rows, weights, x[start:start + chunk])[-1]
                           for start in range(0, len(x), chunk)])


def layer_backward(row, weights, x, d_out):
    """Return (gradient on x, gradients on the weights) of one layer.

    d_out is the gradient on the layer's pre-activation for Dense and
    Conv2D layers, on its output otherwise.
    """
    kind, _, _, details = row
    if kind == 'Dense':
        kernel, _ = weights
        return d_out @ kernel.T, [x.T @ d_out, d_out.sum(axis=0)]
    if kind == CONV:
        kernel, _ = weights
        size, padding = kernel.shape[0], details[1]
        cols = patches(x, size, padding)
        flat = kernel.reshape(-1, kernel.shape[-1])
        d_kernel = np.tensordot(cols, d_out, axes=([0, 1, 2], [0, 1, 2]))
        d_x = unpatch(d_out @ flat.T, x.shape, size, padding)
        return d_x, [d_kernel.reshape(kernel.shape), d_out.sum(axis=(0, 1, 2))]
    if kind == POOL:
        windows = pool_windows(x)
        chosen = np.zeros_like(windows)
        np.put_along_axis(chosen, windows.argmax(axis=-1)[..., None],
                          d_out[..., None], axis=-1)
        count, rows, columns, channels, _ = chosen.shape
        d_x = chosen.reshape(count, rows, columns, channels, 2, 2).transpose(
            0, 1, 4, 2, 5, 3).reshape(count, 2 * rows, 2 * columns, channels)
        return d_x[:, :x.shape[1], :x.shape[2], :], []
    count, height, width, channels = d_out.shape
    return d_out.reshape(count, height // 2, 2, width // 2, 2,
                         channels).sum(axis=(2, 4)), []


def backward(rows, weights, x, d_output, d_is_pre_activation=False):
    """Return (gradient on x, gradients on every layer's weights).

    d_output is the gradient on the last layer's output, or on its
    pre-activation when d_is_pre_activation (as a sigmoid under binary
    cross-entropy is best differentiated).
    """
    inputs, pres = [np.asarray(x, 'float64')], []
    for row, layer_weights in zip(rows[1:], weights):
        pre, output = layer_forward(row, layer_weights, inputs[-1])
        pres.append(pre)
        inputs.append(output)
    gradients = [None] * len(weights)
    d = d_output
    for index in reversed(range(len(weights))):
        row, pre = rows[index + 1], pres[index]
        if pre is not None and not (d_is_pre_activation
                                    and index == len(weights) - 1):
            if row[1] == RELU:
                d = d * (pre > 0)
            elif row[1] == SIGMOID:
                output = inputs[index + 1]
                d = d * output * (1 - output)
        d, gradients[index] = layer_backward(row, weights[index],
                                             inputs[index], d)
    return d, gradients


def mean_bce(targets, probabilities):
    """Return the binary cross-entropy averaged over every value."""
    return float(binary_crossentropy(targets, probabilities).mean())


def summed_bce(targets, probabilities):
    """Return each sample's binary cross-entropy, summed over its values."""
    flat = binary_crossentropy(targets, probabilities)
    return flat.reshape(len(flat), -1).sum(axis=1)


def kl_from_standard_normal(mean, log_var):
    """Return KL(N(mean, exp(log_var)) || N(0, I)) for each sample."""
    mean, log_var = np.asarray(mean, 'float64'), np.asarray(log_var,
                                                            'float64')
    return 0.5 * np.sum(mean ** 2 + np.exp(log_var) - log_var - 1, axis=1)


def bce_gradient(targets, probabilities, per_sample_sum=False, clipped=True):
    """Return the gradient of the BCE on the sigmoid's pre-activation.

    The mean over every value by default, or the sum over each sample's
    values averaged over the batch. Keras has two ways to the same loss:
    from the sigmoid's logits when its graph shows them (a compiled
    train step, Keras 2 and 3 alike), from probabilities clipped to
    [eps, 1 - eps] when it does not. They differ only where an output
    saturates beyond the clip: with clipped, its gradient there is zero.
    """
    d = probabilities - targets
    if clipped:
        d = np.where((probabilities > EPSILON)
                     & (probabilities < 1 - EPSILON), d, 0.0)
    return d / (len(d) if per_sample_sum else d.size)


def autoencoder_gradients(encoder, decoder, x, lambtha=0.0, clipped=True):
    """Return the gradients of the mean BCE (+ lambtha * mean L1 of the code).

    encoder and decoder are (rows, weights); the result is (encoder's
    gradients, decoder's gradients), one list per layer. clipped chooses
    the BCE's form where an output saturates (bce_gradient).
    """
    (encoder_rows, encoder_weights), (decoder_rows, decoder_weights) = (
        encoder, decoder)
    x = np.asarray(x, 'float64')
    code = forward(encoder_rows, encoder_weights, x)[-1]
    reconstruction = forward(decoder_rows, decoder_weights, code)[-1]
    d_code, decoder_gradients = backward(
        decoder_rows, decoder_weights, code,
        bce_gradient(x, reconstruction, clipped=clipped),
        d_is_pre_activation=True)
    d_code = d_code + lambtha * np.sign(code) / len(x)
    _, encoder_gradients = backward(encoder_rows, encoder_weights, x, d_code)
    return encoder_gradients, decoder_gradients


def variational_parts(encoder_rows, encoder_weights, x):
    """Return (last hidden output, mean, log_var) of the text's encoder."""
    hidden = len(encoder_rows) - 4   # the input, the two heads, the sampler
    h = np.asarray(x, 'float64')
    if hidden:
        h = forward(encoder_rows[:hidden + 1], encoder_weights[:hidden], h)[-1]
    mean_kernel, mean_bias = encoder_weights[hidden]
    log_var_kernel, log_var_bias = encoder_weights[hidden + 1]
    return h, h @ mean_kernel + mean_bias, h @ log_var_kernel + log_var_bias


def variational_gradients(encoder, decoder, x, clipped=True):
    """Return the VAE's gradients when z is the mean (a tiny variance).

    The loss is the summed BCE of decoding the mean plus the KL, averaged
    over the batch; with the log variance pinned near -40 the sample is
    the mean to float precision, so this is what Keras differentiates.
    clipped chooses the BCE's form where an output saturates.
    """
    (encoder_rows, encoder_weights), (decoder_rows, decoder_weights) = (
        encoder, decoder)
    x = np.asarray(x, 'float64')
    h, mean, log_var = variational_parts(encoder_rows, encoder_weights, x)
    reconstruction = forward(decoder_rows, decoder_weights, mean)[-1]
    d_z, decoder_gradients = backward(
        decoder_rows, decoder_weights, mean,
        bce_gradient(x, reconstruction, per_sample_sum=True,
                     clipped=clipped),
        d_is_pre_activation=True)
    count = len(x)
    d_mean = d_z + mean / count
    d_log_var = 0.5 * (np.exp(log_var) - 1) / count
    hidden = len(encoder_rows) - 4
    heads = [[h.T @ d_mean, d_mean.sum(axis=0)],
             [h.T @ d_log_var, d_log_var.sum(axis=0)]]
    d_h = (d_mean @ encoder_weights[hidden][0].T
           + d_log_var @ encoder_weights[hidden + 1][0].T)
    hidden_gradients = []
    if hidden:
        _, hidden_gradients = backward(encoder_rows[:hidden + 1],
                                       encoder_weights[:hidden], x, d_h)
    return hidden_gradients + heads + [[]], decoder_gradients


# ----------------------------------------------------------------------
# The judge's weights, and Adam over several steps.

# Standard deviation of the pre-activations the judge's weights give on its
# inputs: relu and its look-alikes (tanh, relu6, elu, leaky relu, softplus)
# part ways well before 4; a sigmoid output at 1.5 never comes near the
# 1e-7 where Keras's cross-entropy clips (a sigmoid's logits are not
# clipped), so that NumPy and every Keras compute the same loss.
HIDDEN_SPREAD, OUTPUT_SPREAD = 4.0, 1.5
# The largest output pre-activation the judge's weights give (Keras clips
# probabilities at 1e-7, a pre-activation of about 16).
OUTPUT_MOST = 8.0
# A unit the judge kills: its bias keeps it below zero on every input, so
# no gradient reaches its weights, and Adam must leave them where they are.
DEAD_BIAS = -1000.0


def weighted_rows(rows):
    """Return the indexes of rows (after the input) that hold weights."""
    return [index for index, row in enumerate(rows[1:])
            if row[0] in ('Dense', CONV)]


def by_layer(rows, weighted):
    """Return one list per row after the input from the weighted layers'.

    weighted holds [kernel, bias] for each row that has weights, in order;
    the rows without get [].
    """
    layers = [[] for _ in rows[1:]]
    for index, weights in zip(weighted_rows(rows), weighted):
        layers[index] = weights
    return layers


def draw_weights(rows, x, rng, spreads=None, kill=True):
    """Return the judge's weights of a model, [kernel, bias] per layer.

    Each layer's kernel is scaled so that its pre-activations on x spread
    as spreads says (by row index; HIDDEN_SPREAD, or OUTPUT_SPREAD for the
    last layer, by default), biases are drawn from N(0, 1), and with kill
    one unit of each relu layer of two or more is dead. All in float32, as
    Keras keeps them; the second value returned is the model's output on x.
    """
    spreads = spreads or {}
    h = np.asarray(x, 'float64')
    weighted = []
    last = len(rows) - 2
    for index, row in enumerate(rows[1:]):
        kind, activation, shape, details = row
        if kind == 'Dense':
            kernel = rng.standard_normal((h.shape[-1], shape[-1]))
        elif kind == CONV:
            kernel = rng.standard_normal((3, 3, h.shape[-1], shape[-1]))
        else:
            h = layer_forward(row, [], h)[1]
            continue
        bias = rng.standard_normal(shape[-1]) * (0.5 if index == last
                                                 else 1.0)
        bare = np.concatenate([layer_forward(
            row, [kernel, np.zeros_like(bias)], h[start:start + 64])[0]
            for start in range(0, len(h), 64)])
        spread = spreads.get(index, OUTPUT_SPREAD if index == last
                             else HIDDEN_SPREAD)
        scale = spread / float(bare.std()) if bare.std() > 1e-9 else 1.0
        if index == last:
            # Relu chains have long tails: no input may saturate the output.
            scale *= min(1.0, OUTPUT_MOST / max(
                float(np.abs(scale * bare + bias).max()), 1e-12))
        kernel *= scale
        if kill and activation == RELU and shape[-1] > 1:
            bias[rng.integers(shape[-1])] = DEAD_BIAS
        weighted.append([kernel.astype('float32'), bias.astype('float32')])
        h = activate(activation, scale * bare + bias)
    return weighted, h


class Adam:
    """Keras's Adam at its defaults, step by step, in float64.

    m and v follow each weight's gradients; a step moves a weight by
    -lr * sqrt(1 - b2^t) / (1 - b1^t) * m / (sqrt(v) + eps), as Keras 2 and
    Keras 3 both write it.
    """

    def __init__(self, settings=ADAM):
        self.settings, self.t, self.m, self.v = settings, 0, None, None

    def step(self, gradients):
        """Return how the weights move for these gradients (flat arrays)."""
        b1, b2 = self.settings['beta_1'], self.settings['beta_2']
        if self.m is None:
            self.m = [np.zeros_like(g) for g in gradients]
            self.v = [np.zeros_like(g) for g in gradients]
        self.t += 1
        rate = self.settings['learning_rate'] * np.sqrt(
            1 - b2 ** self.t) / (1 - b1 ** self.t)
        moves = []
        for index, gradient in enumerate(gradients):
            self.m[index] = b1 * self.m[index] + (1 - b1) * gradient
            self.v[index] = b2 * self.v[index] + (1 - b2) * gradient ** 2
            moves.append(-rate * self.m[index] / (
                np.sqrt(self.v[index]) + self.settings['epsilon']))
        return moves
