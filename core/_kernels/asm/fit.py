"""Derives the polynomial coefficients used by the WebAssembly kernels.

Run: python3 core/_kernels/asm/fit.py > core/_kernels/asm/_coefficients.ts   (needs mpmath)

Each fit is a weighted least-squares polynomial refined by Lawson's iteration towards the
minimax (equal-ripple) relative error, computed in 60-digit arithmetic and rounded to float64.
The maximum relative error found on a dense grid is printed as a comment beside each table.
"""
import mpmath as mp

mp.mp.dps = 60


def cheb_nodes(a, b, n):
    return [(a + b) / 2 + (b - a) / 2 * mp.cos(mp.pi * (k + mp.mpf(0.5)) / n) for k in range(n)]


def fit(target, weight, a, b, deg, points=None, iters=30):
    """Finds c minimizing max |weight(x) * (sum c_k x^k - target(x))| on [a, b]."""
    n = points or max(8 * (deg + 1), 120)
    xs = cheb_nodes(mp.mpf(a), mp.mpf(b), n)
    ts = [target(x) for x in xs]
    ws = [weight(x) for x in xs]
    lw = [mp.mpf(1) / n] * n
    c = None
    for _ in range(iters):
        A = mp.matrix(n, deg + 1)
        rhs = mp.matrix(n, 1)
        for i, x in enumerate(xs):
            s = mp.sqrt(lw[i]) * ws[i]
            p = mp.mpf(1)
            for k in range(deg + 1):
                A[i, k] = s * p
                p *= x
            rhs[i] = s * ts[i]
        c = mp.qr_solve(A, rhs)[0]
        errs = [abs(ws[i] * (mp.polyval(list(reversed(c)), x) - ts[i])) for i, x in enumerate(xs)]
        tot = sum(lw[i] * errs[i] for i in range(n))
        lw = [lw[i] * errs[i] / tot for i in range(n)]
    return [float(v) for v in c]


def fit_rational(target, a, b, m, n, points=240, iters=40):
    """P/Q with Q(0) = 1 minimizing the max relative error against target on [a, b]: the
    linearized residual P - target·Q, weighted by 1/(target·Q_prev) and refined by Lawson's
    iteration. Returns ([p_0..p_m], [q_1..q_n]) from the best iterate."""
    xs = cheb_nodes(mp.mpf(a), mp.mpf(b), points)
    ts = [target(x) for x in xs]
    qprev = [mp.mpf(1)] * points
    lw = [mp.mpf(1) / points] * points
    best = None
    for _ in range(iters):
        A = mp.matrix(points, m + 1 + n)
        rhs = mp.matrix(points, 1)
        for i, x in enumerate(xs):
            s = mp.sqrt(lw[i]) / (ts[i] * qprev[i])
            p = mp.mpf(1)
            for k in range(max(m, n) + 1):
                if k <= m:
                    A[i, k] = s * p
                if 1 <= k <= n:
                    A[i, m + k] = -s * ts[i] * p
                p *= x
            rhs[i] = s * ts[i]
        c = mp.qr_solve(A, rhs)[0]
        P = [c[k] for k in range(m + 1)]
        Q = [mp.mpf(1)] + [c[m + k] for k in range(1, n + 1)]
        qprev = [mp.polyval(Q[::-1], x) for x in xs]
        errs = [abs(mp.polyval(P[::-1], x) / qprev[i] / ts[i] - 1) for i, x in enumerate(xs)]
        e = max(errs)
        if best is None or e < best[0]:
            best = (e, [float(v) for v in P], [float(v) for v in Q[1:]])
        tot = sum(lw[i] * errs[i] for i in range(points))
        lw = [lw[i] * errs[i] / tot for i in range(points)]
    return best[1], best[2]


def max_err(coefs, target, weight, a, b, n=2000):
    m = mp.mpf(0)
    for k in range(n + 1):
        x = mp.mpf(a) + (mp.mpf(b) - mp.mpf(a)) * k / n
        if x == 0:
            continue
        p = mp.polyval([mp.mpf(v) for v in reversed(coefs)], x)
        m = max(m, abs(weight(x) * (p - target(x))))
    return m


out = []


def emit(name, coefs, comment):
    out.append(f"// {comment}")
    body = ", ".join(repr(v) for v in coefs)
    out.append(f"export const {name}: usize = memory.data<f64>([{body}]);")


# expm1(r) = r + r^2/2 + r^3 P(r) on |r| <= ln2/2; error measured relative to expm1(r).
L = mp.log(2) / 2


def p_exp(r):
    return (mp.expm1(r) - r - r * r / 2) / r**3 if r != 0 else mp.mpf(1) / 6


def w_exp(r):
    return r**3 / mp.expm1(r) if r != 0 else mp.mpf(0)


for name, deg in (("EXP_P64", 9),):
    c = fit(p_exp, w_exp, -L, L, deg)
    emit(name, c, f"expm1 r^3 tail, degree {deg}: max rel err {mp.nstr(max_err(c, p_exp, w_exp, -L, L), 3)}")

# Where the caller adds the 1 (exp, not expm1), the same tail needs its error small only relative
# to exp(r): one degree less.


def w_exp1(r):
    return r**3 / mp.exp(r) if r != 0 else mp.mpf(0)


c = fit(p_exp, w_exp1, -L, L, 8)
emit("EXP_E64", c, f"exp r^3 tail, degree 8: max err rel. to exp {mp.nstr(max_err(c, p_exp, w_exp1, -L, L), 3)}")

# Float32 kernels that compute in float64 lanes need only ~2^-28 relative accuracy: exp(r) as a
# plain polynomial on |r| <= ln2/2.
def e_direct(r):
    return mp.exp(r)


def w_direct(r):
    return 1 / mp.exp(r)


for name, deg, tgt, wt in (("EXP_D32", 6, e_direct, w_direct),):
    c = fit(tgt, wt, -L, L, deg)
    emit(name, c, f"{name}, degree {deg}: max rel err {mp.nstr(max_err(c, tgt, wt, -L, L), 3)}")

# The float32 kernels' exp in f32x4 lanes: expm1(r) = r + r^2 P(r), P rounded to float32,
# error relative to exp(r) (the caller adds the 1 in float64).


def p_q32(r):
    return (mp.expm1(r) - r) / (r * r) if r != 0 else mp.mpf(1) / 2


def w_q32(r):
    return r * r / mp.exp(r) if r != 0 else mp.mpf(0)


c = fit(p_q32, w_q32, -L, L, 4)
c = [float(mp.mpf(v)) for v in c]
import struct
c = [struct.unpack("<f", struct.pack("<f", v))[0] for v in c]
out.append(f"// expm1(r) = r + r^2 P(r) for f32x4 lanes, degree 4 in float32: max err rel. to exp "
           f"{mp.nstr(max_err(c, p_q32, w_q32, -L, L), 3)}")
out.append(f"export const EXP_F32: usize = memory.data<f32>([{', '.join(repr(v) for v in c)}]);")

# log1p(g) = g - (h - s(h + z Q(z))), s = g/(2+g), z = s^2, h = g^2/2, used for g in [-0.3, 1]:
# z <= 1/9. Error measured relative to log1p(g) ~ 2s: weight s^3 / (2 atanh s).


def q_log(z):
    s = mp.sqrt(z)
    return (2 * mp.atanh(s) - 2 * s) / (s * z) if z != 0 else mp.mpf(2) / 3


def w_log(z):
    s = mp.sqrt(z)
    return s * z / (2 * mp.atanh(s)) if z != 0 else mp.mpf(0)


def p_l32(z):
    s = mp.sqrt(z)
    return 2 * mp.atanh(s) / s if z != 0 else mp.mpf(2)


def w_l32(z):
    return 1 / p_l32(z)


c = fit(p_l32, w_l32, 0, mp.mpf(1) / 9, 4)
emit("LOG_P32", c, f"log1p(g) = s P(s^2), s = g/(2+g), degree 4: max rel err {mp.nstr(max_err(c, p_l32, w_l32, 0, mp.mpf(1)/9), 3)}")

for name, deg in (("LOG_Q64", 11),):
    c = fit(q_log, w_log, 0, mp.mpf(1) / 9, deg)
    emit(name, c, f"log1p atanh tail, degree {deg}: max rel err {mp.nstr(max_err(c, q_log, w_log, 0, mp.mpf(1)/9), 3)}")


# H(a) = erfc(a/sqrt2) exp(a^2/2) / 2 in pieces: the quarters of each octave of u = 1 + a,
# [2^e (1 + j/4), 2^e (1 + (j+1)/4)), so that the kernel finds a piece from u's bits alone (a
# short dependency chain in front of the table loads). Each piece is a polynomial in s = a - mid;
# a table row is [mid, c_0, ..., c_deg, 0], padded to 16 entries (rows at multiples of 128 bytes).
def h_fn(a):
    return mp.erfc(a / mp.sqrt(2)) * mp.exp(a * a / 2) / 2


def pieces(octaves):
    ps = []
    for e in range(octaves):
        for j in range(4):
            lo = mp.mpf(2)**e * (1 + mp.mpf(j) / 4)
            ps.append((lo - 1, lo + mp.mpf(2)**e / 4 - 1))
    return ps


for name, deg, octaves in (("ERFCX_T64", 13, 6),):
    rows = []
    worst = mp.mpf(0)
    for lo, hi in pieces(octaves):
        mid = float((lo + hi) / 2)
        m = mp.mpf(mid)
        tgt = lambda s, m=m: h_fn(m + s)
        wt = lambda s, m=m: 1 / h_fn(m + s)
        c = fit(tgt, wt, lo - m, hi - m, deg, points=6 * (deg + 1), iters=15)
        worst = max(worst, max_err(c, tgt, wt, lo - m, hi - m, n=200))
        rows.append([mid] + c + [0.0])
    flat = [v for r in rows for v in r]
    emit(name, flat, f"erfcx(a/sqrt2)/2 pieces, degree {deg}, {len(rows)} rows of 16: max rel err {mp.nstr(worst, 3)}")

# The float32 gelu's H(a) as one rational function P4(a)/Q5(a) on [0, 15] (float32 gelu is x
# or -0 beyond): no table lookup, whose per-lane gathers cost more than the arithmetic.
rp, rq = fit_rational(h_fn, 0, 15, 4, 5)
rworst = mp.mpf(0)
for i in range(3001):
    a = mp.mpf(15) * i / 3000
    v = mp.polyval([mp.mpf(x) for x in reversed(rp)], a) / mp.polyval([mp.mpf(x) for x in reversed([1.0] + rq)], a)
    rworst = max(rworst, abs(v / h_fn(a) - 1))
emit("ERFCX_R32", rp + rq, f"erfcx(a/sqrt2)/2 = P(a)/Q(a) on [0, 15], [p_0..p_4, q_1..q_5] (q_0 = 1): max rel err {mp.nstr(rworst, 3)}")

print("// Generated by core/_kernels/asm/fit.py: do not edit.\n")
print("\n".join(out))
