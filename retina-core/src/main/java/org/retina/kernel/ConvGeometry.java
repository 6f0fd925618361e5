package org.retina.kernel;

/**
 * The resolved geometry of one 2-D sliding-window op (convolution or pooling) on one sample:
 * {@code out = (in + padLo + padHi - dilation*(k-1) - 1) / stride + 1}, already computed by the caller.
 * Pooling uses {@code outC == inC} and {@code groups == inC}. Positions outside the input read as padding;
 * {@code padBottom} and {@code padRight} matter only to averages that count padding.
 */
public record ConvGeometry(int inC, int inH, int inW, int outC, int outH, int outW,
                           int kH, int kW, int strideH, int strideW, int padTop, int padBottom,
                           int padLeft, int padRight, int dilationH, int dilationW, int groups) {

    public ConvGeometry {
        if (inC <= 0 || inH <= 0 || inW <= 0 || outC <= 0 || outH <= 0 || outW <= 0 || kH <= 0 || kW <= 0
                || strideH <= 0 || strideW <= 0 || dilationH <= 0 || dilationW <= 0 || groups <= 0
                || padTop < 0 || padLeft < 0 || padBottom < 0 || padRight < 0 || inC % groups != 0 || outC % groups != 0) {
            throw new IllegalArgumentException("ConvGeometry: inconsistent " + this);
        }
    }

    public int inSize() {
        return inC * inH * inW;
    }

    public int outSize() {
        return outC * outH * outW;
    }

    public int inPlane() {
        return inH * inW;
    }

    public int outPlane() {
        return outH * outW;
    }

    /** Input channels of one group. */
    public int groupInC() {
        return inC / groups;
    }

    /** Output channels of one group. */
    public int groupOutC() {
        return outC / groups;
    }

    /** Rows of a group's column matrix: {@code inC/groups * kH * kW}. */
    public int colRows() {
        return groupInC() * kH * kW;
    }

    /** This geometry with other channel counts and groups: a pooling window over {@code c} channels. */
    public ConvGeometry withChannels(int in, int out, int g) {
        return new ConvGeometry(in, inH, inW, out, outH, outW, kH, kW, strideH, strideW, padTop, padBottom,
                padLeft, padRight, dilationH, dilationW, g);
    }

    /** Multiply-accumulates of the convolution for one sample. */
    public long macs() {
        return (long) outC * outH * outW * groupInC() * kH * kW;
    }
}
