"""Count the floating-point operations of training each task model.

    python -m lab.performance.flops

A Dense or Conv2D layer that does M multiply-adds per sample costs 2M
FLOPs forward (plus one per output for the bias). Training adds the
backward pass: 2M for the weight gradient and 2M for the gradient of the
layer's input, which the autoencoder's very first layer does not need.
Pooling, upsampling, activations, the loss and the optimizer update are
element-wise and left out; they are memory-bound, not FLOP-bound.
"""
from tools import task


def multiply_adds(layer):
    """Return the multiply-adds per sample of a Dense or Conv2D layer."""
    kind = type(layer).__name__
    if kind == 'Dense':
        return int(layer.input.shape[-1]) * layer.units
    if kind == 'Conv2D':
        height, width, filters = (int(n) for n in layer.output.shape[1:])
        rows, columns = layer.kernel_size
        channels = int(layer.input.shape[-1])
        return height * width * filters * rows * columns * channels
    return 0


def outputs_per_sample(layer):
    """Return how many values a layer outputs per sample."""
    count = 1
    for size in layer.output.shape[1:]:
        count *= int(size)
    return count


def count(auto):
    """Return (forward, training) FLOPs per sample of an autoencoder."""
    forward = training = 0
    first = True
    for model in auto.layers[1:]:            # the encoder, then the decoder
        for layer in model.layers:
            macs = multiply_adds(layer)
            if not macs:
                continue
            layer_forward = 2 * macs + outputs_per_sample(layer)
            # Backward: the weight gradient always, the input gradient
            # everywhere but at the data.
            backward = 2 * macs + (0 if first else 2 * macs)
            forward += layer_forward
            training += layer_forward + backward
            first = False
    return forward, training


def count_all():
    """Return {main: (forward, training)} for the task's four calls."""
    return {main: count(task.build(main)[2]) for main in task.MAINS}


def main():
    """Print the FLOPs per sample of each model."""
    for main_name, (forward, training) in count_all().items():
        print('{}: {:,} FLOPs forward, {:,} FLOPs training, per sample'
              .format(main_name, forward, training))


if __name__ == '__main__':
    main()
