// Retina's own CUDA kernels, compiled at run time by NVRTC: the element-wise, pooling, loss and optimizer work
// that cuDNN and cuBLAS do not cover. Layouts are NCHW, contiguous; "planes" counts (sample, channel) pairs.
// Kernels that write a gradient take `acc`: 0 overwrites, 1 adds (a node read by several others).
// Each output element is computed by one thread in a fixed order, so results do not vary run to run.

typedef long long ll;
#define NEG_INF __int_as_float(0xff800000)

#define LOOP(i, n) for (ll i = (ll) blockIdx.x * blockDim.x + threadIdx.x; i < (n); i += (ll) blockDim.x * gridDim.x)
#define STORE(dst, v) ((dst) = acc ? (dst) + (v) : (v))

__device__ __forceinline__ int taps_below(int limit, int first, int d, int k) {
    int span = limit - first;
    return span <= 0 ? 0 : min(k, (span + d - 1) / d);
}

__device__ __forceinline__ float warp_sum(float v) {
    for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffff, v, o);
    return v;
}

__device__ __forceinline__ float warp_max(float v) {
    for (int o = 16; o > 0; o >>= 1) v = fmaxf(v, __shfl_xor_sync(0xffffffff, v, o));
    return v;
}

// Backward of pooling by gathering: for input (iy, ix), every window (oy, ox) that reads it, in a fixed order,
// hands its contribution f(oy, ox) to the sum; no atomics.
template <typename F>
__device__ __forceinline__ float gather_windows(int iy, int ix, int OH, int OW, int kh, int kw, int sh, int sw,
                                                int pt, int pl, int dh, int dw, F f) {
    float s = 0.f;
    for (int u = 0; u < kh; u++) {
        int t = iy + pt - u * dh;
        if (t < 0 || t % sh) continue;
        int oy = t / sh;
        if (oy >= OH) continue;
        for (int v = 0; v < kw; v++) {
            int t2 = ix + pl - v * dw;
            if (t2 < 0 || t2 % sw) continue;
            int ox = t2 / sw;
            if (ox >= OW) continue;
            s += f(oy, ox);
        }
    }
    return s;
}

extern "C" {

__global__ void fill(float* x, float v, ll n) { LOOP(i, n) x[i] = v; }

__global__ void add_into(float* y, const float* x, ll n) { LOOP(i, n) y[i] += x[i]; }

__global__ void add2(float* y, const float* a, const float* b, ll n) { LOOP(i, n) y[i] = a[i] + b[i]; }

__global__ void copy_acc(float* y, const float* x, ll n, int acc) { LOOP(i, n) STORE(y[i], x[i]); }

// ---- activations: forward y = f(x); backward from y where f' is a function of y
__global__ void relu_f(const float* x, float* y, ll n) { LOOP(i, n) { float v = x[i]; y[i] = v > 0.f ? v : 0.f; } }
__global__ void relu_b(const float* y, const float* gy, float* gx, ll n, int acc) {
    LOOP(i, n) STORE(gx[i], y[i] > 0.f ? gy[i] : 0.f);
}
__global__ void leaky_f(const float* x, float* y, ll n, float slope) {
    LOOP(i, n) { float v = x[i]; y[i] = v > 0.f ? v : v * slope; }
}
__global__ void leaky_b(const float* x, const float* gy, float* gx, ll n, float slope, int acc) {
    LOOP(i, n) STORE(gx[i], x[i] > 0.f ? gy[i] : gy[i] * slope);
}
__global__ void sigmoid_f(const float* x, float* y, ll n) { LOOP(i, n) y[i] = 1.f / (1.f + expf(-x[i])); }
__global__ void sigmoid_b(const float* y, const float* gy, float* gx, ll n, int acc) {
    LOOP(i, n) { float s = y[i]; STORE(gx[i], gy[i] * s * (1.f - s)); }
}
__global__ void tanh_f(const float* x, float* y, ll n) { LOOP(i, n) y[i] = tanhf(x[i]); }
__global__ void tanh_b(const float* y, const float* gy, float* gx, ll n, int acc) {
    LOOP(i, n) { float t = y[i]; STORE(gx[i], gy[i] * (1.f - t * t)); }
}

// ---- bias: y[n, c, p] += b[c]; gb[c] = sum over n, p of gy (one block per channel)
__global__ void bias_add(float* y, const float* b, ll n, int c, int plane) {
    LOOP(i, n) y[i] += b[(i / plane) % c];
}
__global__ void bias_grad(const float* gy, float* gb, int batch, int c, int plane) {
    __shared__ float part[256];
    int ch = blockIdx.x;
    float s = 0.f;
    ll count = (ll) batch * plane;
    for (ll j = threadIdx.x; j < count; j += blockDim.x) {
        ll b = j / plane, p = j % plane;
        s += gy[(b * c + ch) * plane + p];
    }
    part[threadIdx.x] = s;
    __syncthreads();
    for (int w = blockDim.x / 2; w > 0; w >>= 1) {
        if (threadIdx.x < w) part[threadIdx.x] += part[threadIdx.x + w];
        __syncthreads();
    }
    if (threadIdx.x == 0) gb[ch] = part[0];
}

// ---- pooling. Windows start at o*s - padLo; taps outside the input are skipped (max) or count per PyTorch (avg).
__global__ void maxpool_f(const float* x, float* y, int* arg, int planes, int H, int W, int OH, int OW,
                          int kh, int kw, int sh, int sw, int pt, int pl, int dh, int dw) {
    LOOP(i, (ll) planes * OH * OW) {
        int ox = i % OW, oy = (i / OW) % OH;
        ll p = i / ((ll) OH * OW);
        const float* xp = x + p * H * W;
        int fy = oy * sh - pt, fx = ox * sw - pl;
        int uLo = taps_below(0, fy, dh, kh), uHi = taps_below(H, fy, dh, kh);
        int vLo = taps_below(0, fx, dw, kw), vHi = taps_below(W, fx, dw, kw);
        int best = (fy + uLo * dh) * W + fx + vLo * dw;
        float m = NEG_INF;
        for (int u = uLo; u < uHi; u++) {
            int row = (fy + u * dh) * W + fx;
            for (int v = vLo; v < vHi; v++) {
                int idx = row + v * dw;
                float val = xp[idx];
                if (val > m || isnan(val)) { m = val; best = idx; }
            }
        }
        y[i] = m;
        if (arg) arg[i] = best;
    }
}

// gx at each input = the sum of the gradients of the windows whose arg-max it is
__global__ void maxpool_b(const float* gy, const int* arg, float* gx, int planes, int H, int W, int OH, int OW,
                          int kh, int kw, int sh, int sw, int pt, int pl, int dh, int dw, int acc) {
    LOOP(i, (ll) planes * H * W) {
        int ix = i % W, iy = (i / W) % H;
        ll p = i / ((ll) H * W);
        int self = iy * W + ix;
        float s = gather_windows(iy, ix, OH, OW, kh, kw, sh, sw, pt, pl, dh, dw, [&](int oy, int ox) {
            ll o = (p * OH + oy) * OW + ox;
            return arg[o] == self ? gy[o] : 0.f;
        });
        STORE(gx[i], s);
    }
}

__device__ __forceinline__ float avg_divisor(int oy, int ox, int H, int W, int kh, int kw, int sh, int sw, int pt,
                                             int pl, int pb, int pr, int dh, int dw, int includePad) {
    int fy = oy * sh - pt, fx = ox * sw - pl;
    int uHi = taps_below(H, fy, dh, kh), vHi = taps_below(W, fx, dw, kw);
    if (includePad) {
        int uCount = taps_below(H + pb, fy, dh, kh), vCount = taps_below(W + pr, fx, dw, kw);
        return (float) (uCount * vCount);
    }
    int uLo = taps_below(0, fy, dh, kh), vLo = taps_below(0, fx, dw, kw);
    return (float) ((uHi - uLo) * (vHi - vLo));
}

__global__ void avgpool_f(const float* x, float* y, int planes, int H, int W, int OH, int OW, int kh, int kw,
                          int sh, int sw, int pt, int pl, int pb, int pr, int dh, int dw, int includePad) {
    LOOP(i, (ll) planes * OH * OW) {
        int ox = i % OW, oy = (i / OW) % OH;
        ll p = i / ((ll) OH * OW);
        const float* xp = x + p * H * W;
        int fy = oy * sh - pt, fx = ox * sw - pl;
        int uLo = taps_below(0, fy, dh, kh), uHi = taps_below(H, fy, dh, kh);
        int vLo = taps_below(0, fx, dw, kw), vHi = taps_below(W, fx, dw, kw);
        float s = 0.f;
        for (int u = uLo; u < uHi; u++) {
            int row = (fy + u * dh) * W + fx;
            for (int v = vLo; v < vHi; v++) s += xp[row + v * dw];
        }
        y[i] = s / avg_divisor(oy, ox, H, W, kh, kw, sh, sw, pt, pl, pb, pr, dh, dw, includePad);
    }
}

__global__ void avgpool_b(const float* gy, float* gx, int planes, int H, int W, int OH, int OW, int kh, int kw,
                          int sh, int sw, int pt, int pl, int pb, int pr, int dh, int dw, int includePad, int acc) {
    LOOP(i, (ll) planes * H * W) {
        int ix = i % W, iy = (i / W) % H;
        ll p = i / ((ll) H * W);
        float s = gather_windows(iy, ix, OH, OW, kh, kw, sh, sw, pt, pl, dh, dw, [&](int oy, int ox) {
            return gy[(p * OH + oy) * OW + ox]
                    / avg_divisor(oy, ox, H, W, kh, kw, sh, sw, pt, pl, pb, pr, dh, dw, includePad);
        });
        STORE(gx[i], s);
    }
}

// global pooling: one warp per plane
__global__ void gap_f(const float* x, float* y, int planes, int plane) {
    int warp = (blockIdx.x * blockDim.x + threadIdx.x) >> 5, lane = threadIdx.x & 31;
    if (warp >= planes) return;
    const float* xp = x + (ll) warp * plane;
    float s = 0.f;
    for (int j = lane; j < plane; j += 32) s += xp[j];
    s = warp_sum(s);
    if (lane == 0) y[warp] = s / plane;
}
__global__ void gap_b(const float* gy, float* gx, int planes, int plane, int acc) {
    LOOP(i, (ll) planes * plane) STORE(gx[i], gy[i / plane] / plane);
}
__global__ void gmp_f(const float* x, float* y, int* arg, int planes, int plane) {
    LOOP(p, planes) {
        const float* xp = x + p * plane;
        float m = NEG_INF;
        int best = 0;
        for (int j = 0; j < plane; j++) {
            float v = xp[j];
            if (v > m || isnan(v)) { m = v; best = j; }
        }
        y[p] = m;
        if (arg) arg[p] = best;
    }
}
__global__ void gmp_b(const float* gy, const int* arg, float* gx, int planes, int plane, int acc) {
    LOOP(i, (ll) planes * plane) {
        ll p = i / plane;
        STORE(gx[i], arg[p] == (int) (i % plane) ? gy[p] : 0.f);
    }
}

// ---- softmax over the last axis of (rows, cols): one warp per row
__global__ void softmax_f(const float* x, float* y, int rows, int cols, int logOut) {
    int r = (blockIdx.x * blockDim.x + threadIdx.x) >> 5, lane = threadIdx.x & 31;
    if (r >= rows) return;
    const float* xr = x + (ll) r * cols;
    float* yr = y + (ll) r * cols;
    float m = NEG_INF;
    for (int j = lane; j < cols; j += 32) m = fmaxf(m, xr[j]);
    m = warp_max(m);
    float s = 0.f;
    for (int j = lane; j < cols; j += 32) s += expf(xr[j] - m);
    s = warp_sum(s);
    float ls = logf(s);
    for (int j = lane; j < cols; j += 32) yr[j] = logOut ? xr[j] - m - ls : expf(xr[j] - m) / s;
}
__global__ void softmax_b(const float* y, const float* gy, float* gx, int rows, int cols, int logOut, int acc) {
    int r = (blockIdx.x * blockDim.x + threadIdx.x) >> 5, lane = threadIdx.x & 31;
    if (r >= rows) return;
    const float* yr = y + (ll) r * cols;
    const float* gr = gy + (ll) r * cols;
    float* xr = gx + (ll) r * cols;
    float s = 0.f;
    for (int j = lane; j < cols; j += 32) s += logOut ? gr[j] : gr[j] * yr[j];
    s = warp_sum(s);
    for (int j = lane; j < cols; j += 32) {
        float g = logOut ? gr[j] - expf(yr[j]) * s : yr[j] * (gr[j] - s);
        STORE(xr[j], g);
    }
}

// ---- softmax cross-entropy with label smoothing, one warp per row: per-row loss, the gradient of the mean
// loss (scaled by invN) and the arg-max prediction
__global__ void ce_f(const float* x, const int* labels, float* loss, float* grad, int* pred, int rows, int cols,
                     float smoothing, float invN) {
    int r = (blockIdx.x * blockDim.x + threadIdx.x) >> 5, lane = threadIdx.x & 31;
    if (r >= rows) return;
    const float* xr = x + (ll) r * cols;
    float* gr = grad + (ll) r * cols;
    float m = NEG_INF, sumx = 0.f;
    int best = 0x7fffffff;
    for (int j = lane; j < cols; j += 32) {
        float v = xr[j];
        if (v > m) { m = v; best = j; }
        sumx += v;
    }
    for (int o = 16; o > 0; o >>= 1) {
        float om = __shfl_xor_sync(0xffffffff, m, o);
        int ob = __shfl_xor_sync(0xffffffff, best, o);
        if (om > m || (om == m && ob < best)) { m = om; best = ob; }
    }
    sumx = warp_sum(sumx);
    float s = 0.f;
    for (int j = lane; j < cols; j += 32) s += expf(xr[j] - m);
    s = warp_sum(s);
    float lse = m + logf(s);
    int label = labels[r];
    float on = 1.f - smoothing, off = smoothing / cols;
    for (int j = lane; j < cols; j += 32) {
        float t = (j == label ? on : 0.f) + off;
        gr[j] = (expf(xr[j] - m) / s - t) * invN;
    }
    if (lane == 0) {
        loss[r] = on * (lse - xr[label]) + off * (cols * lse - sumx);
        pred[r] = best;
    }
}

// out[0] = scale * sum of v (one block: a fixed reduction order)
__global__ void sum_scaled(const float* v, float* out, int n, float scale) {
    __shared__ double part[256];
    double s = 0;
    for (int j = threadIdx.x; j < n; j += blockDim.x) s += v[j];
    part[threadIdx.x] = s;
    __syncthreads();
    for (int w = blockDim.x / 2; w > 0; w >>= 1) {
        if (threadIdx.x < w) part[threadIdx.x] += part[threadIdx.x + w];
        __syncthreads();
    }
    if (threadIdx.x == 0) out[0] = (float) (part[0] * scale);
}

// ---- gradient clipping by global norm: per-block partial sums of squares in double (a fixed grid, so a fixed
// order), their total, and the scaling
__global__ void sumsq_part(const float* x, ll n, double* part, int acc) {
    __shared__ double s[256];
    double a = 0;
    for (ll i = (ll) blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (ll) blockDim.x * gridDim.x) {
        a += (double) x[i] * x[i];
    }
    s[threadIdx.x] = a;
    __syncthreads();
    for (int w = blockDim.x / 2; w > 0; w >>= 1) {
        if (threadIdx.x < w) s[threadIdx.x] += s[threadIdx.x + w];
        __syncthreads();
    }
    if (threadIdx.x == 0) part[blockIdx.x] = acc ? part[blockIdx.x] + s[0] : s[0];
}
__global__ void sum_parts(const double* part, int n, double* out) {
    __shared__ double s[256];
    double a = 0;
    for (int j = threadIdx.x; j < n; j += blockDim.x) a += part[j];
    s[threadIdx.x] = a;
    __syncthreads();
    for (int w = blockDim.x / 2; w > 0; w >>= 1) {
        if (threadIdx.x < w) s[threadIdx.x] += s[threadIdx.x + w];
        __syncthreads();
    }
    if (threadIdx.x == 0) out[0] = s[0];
}
__global__ void scale(float* x, ll n, float f) { LOOP(i, n) x[i] *= f; }

// ---- dropout with a counter-based hash: the mask depends only on (seed, offset + i)
__device__ __forceinline__ unsigned int mix(unsigned long long z) {
    z += 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return (unsigned int) ((z ^ (z >> 31)) >> 40);
}
__global__ void dropout_f(const float* x, float* y, float* mask, ll n, float p, float scale,
                          unsigned long long seed, unsigned long long offset) {
    LOOP(i, n) {
        float u = mix(seed ^ (offset + i) * 0xD1B54A32D192ED03ull) * (1.0f / 16777216.0f);
        float m = u >= p ? scale : 0.f;
        mask[i] = m;
        y[i] = x[i] * m;
    }
}
__global__ void mul_acc(const float* a, const float* b, float* out, ll n, int acc) {
    LOOP(i, n) STORE(out[i], a[i] * b[i]);
}

// ---- channel concatenation: src (n, cs, plane) into channels [coff, coff + cs) of dst (n, cd, plane)
__global__ void concat_f(const float* src, float* dst, int n, int cs, int cd, int coff, int plane) {
    ll block = (ll) cs * plane;
    LOOP(i, (ll) n * block) {
        ll b = i / block, r = i % block;
        dst[(b * cd + coff) * plane + r] = src[i];
    }
}
__global__ void concat_b(const float* gdst, float* gsrc, int n, int cs, int cd, int coff, int plane, int acc) {
    ll block = (ll) cs * plane;
    LOOP(i, (ll) n * block) {
        ll b = i / block, r = i % block;
        STORE(gsrc[i], gdst[(b * cd + coff) * plane + r]);
    }
}

// ---- optimizers, PyTorch's formulas per element in double (as the CPU engine computes them)
__global__ void sgd(float* p, const float* g, float* buf, ll n, double lr, double momentum, double dampening,
                    int nesterov, double wd, int first) {
    LOOP(i, n) {
        double d = (double) g[i] + wd * p[i];
        if (buf) {
            double b = first ? d : momentum * buf[i] + (1 - dampening) * d;
            buf[i] = (float) b;
            d = nesterov ? d + momentum * b : b;
        }
        p[i] = (float) (p[i] - lr * d);
    }
}
__global__ void adam(float* p, const float* g, float* m, float* v, ll n, double lr, double beta1, double beta2,
                     double eps, double wd, int decoupled, double stepSize, double bc2) {
    LOOP(i, n) {
        double pi = p[i], gi = g[i];
        if (decoupled) pi *= 1 - lr * wd; else gi += wd * pi;
        double mi = beta1 * m[i] + (1 - beta1) * gi;
        double vi = beta2 * v[i] + (1 - beta2) * gi * gi;
        m[i] = (float) mi;
        v[i] = (float) vi;
        p[i] = (float) (pi - stepSize * mi / (sqrt(vi) / bc2 + eps));
    }
}
__global__ void rmsprop(float* p, const float* g, float* v, float* mom, float* avg, ll n, double lr, double alpha,
                        double eps, double wd, double momentum) {
    LOOP(i, n) {
        double gi = g[i] + wd * p[i];
        double vi = alpha * v[i] + (1 - alpha) * gi * gi;
        v[i] = (float) vi;
        double denom;
        if (avg) {
            double a = alpha * avg[i] + (1 - alpha) * gi;
            avg[i] = (float) a;
            denom = sqrt(vi - a * a) + eps;
        } else {
            denom = sqrt(vi) + eps;
        }
        if (mom) {
            double b = momentum * mom[i] + gi / denom;
            mom[i] = (float) b;
            p[i] = (float) (p[i] - lr * b);
        } else {
            p[i] = (float) (p[i] - lr * gi / denom);
        }
    }
}

}
