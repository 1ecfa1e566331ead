package io.ftpipe.zoo.layer;

/**
 * The window of a 2-D convolution or pooling: kernel, stride, padding (the same on both sides of
 * an axis) and dilation, per axis (H, then W). A 1-D window is a 2-D one of height 1.
 */
public record Window(int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw) {

    public Window {
        if (kh < 1 || kw < 1 || sh < 1 || sw < 1 || ph < 0 || pw < 0 || dh < 1 || dw < 1) {
            throw new IllegalArgumentException("invalid window " + describe(kh, kw, sh, sw, ph, pw, dh, dw));
        }
    }

    public static Window square(int kernel, int stride, int pad) {
        return new Window(kernel, kernel, stride, stride, pad, pad, 1, 1);
    }

    public long outH(long inH) {
        return (inH + 2L * ph - (long) dh * (kh - 1) - 1) / sh + 1;
    }

    public long outW(long inW) {
        return (inW + 2L * pw - (long) dw * (kw - 1) - 1) / sw + 1;
    }

    @Override
    public String toString() {
        return describe(kh, kw, sh, sw, ph, pw, dh, dw);
    }

    /** Square, undilated windows (the zoo's) are described as they always were. */
    private static String describe(int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw) {
        if (kh == kw && sh == sw && ph == pw && dh == 1 && dw == 1) {
            return "k" + kh + ", s" + sh + ", p" + ph;
        }
        return "k" + kh + "x" + kw + ", s" + sh + "x" + sw + ", p" + ph + "x" + pw
                + (dh == 1 && dw == 1 ? "" : ", d" + dh + "x" + dw);
    }
}
