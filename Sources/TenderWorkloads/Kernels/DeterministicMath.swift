/// exp, log and tanh for float32 from fixed polynomials, so every machine gets the same bits.
///
/// System math libraries differ in their last bit between platforms and versions, and one bit is
/// enough to make an honest provider's root differ from its verifier's. These functions use only
/// IEEE-exact operations (+, -, ×, ÷, rounding to an integer, exponent bit manipulation) in a fixed
/// order. The coefficients are Cephes' single-precision minimax polynomials (S. L. Moshier), good
/// to a few ulp over the whole range; accuracy is tested against Foundation.
public enum DeterministicMath {
    private static let log2e: Float = 1.44269504088896341
    // ln 2 split so that n * ln2Hi is exact for |n| < 2^9.
    private static let ln2Hi: Float = 0.693359375
    private static let ln2Lo: Float = -2.12194440e-4

    /// eˣ. Returns 0 below about -87.3 (where the result would be subnormal), +∞ above 88.72, NaN for NaN.
    public static func exp(_ x: Float) -> Float {
        if x.isNaN { return x }
        if x > 88.72283 { return .infinity }
        if x < -87.33654 { return 0 }
        // x = n·ln2 + r, |r| <= ln2/2.
        let n = (x * log2e).rounded(.toNearestOrEven)
        var r = x - n * ln2Hi
        r = r - n * ln2Lo
        let r2 = r * r
        var p: Float = 1.9875691500e-4
        p = p * r + 1.3981999507e-3
        p = p * r + 8.3334519073e-3
        p = p * r + 4.1665795894e-2
        p = p * r + 1.6666665459e-1
        p = p * r + 5.0000001201e-1
        var y = p * r2
        y = y + r
        y = y + 1
        // 2^n for n in -126...128, built in two halves so n = 128 (x near the top) stays finite.
        let exponent = Int32(n)
        let half = exponent / 2
        let scaleA = Float(bitPattern: UInt32(half + 127) << 23)
        let scaleB = Float(bitPattern: UInt32(exponent - half + 127) << 23)
        return (y * scaleA) * scaleB
    }

    /// ln x. NaN for negative input or NaN, -∞ for 0, +∞ for +∞. Subnormal inputs are treated as 0.
    public static func log(_ x: Float) -> Float {
        if x.isNaN || x < 0 { return .nan }
        if x == .infinity { return x }
        if x < .leastNormalMagnitude { return -.infinity }
        // x = m · 2^e with m in [0.5, 1).
        let bits = x.bitPattern
        var e = Float(Int32((bits >> 23) & 0xff) - 126)
        var m = Float(bitPattern: (bits & 0x007f_ffff) | 0x3f00_0000)
        if m < 0.707106781186547524 {
            e = e - 1
            m = m + m
            m = m - 1
        } else {
            m = m - 1
        }
        let z = m * m
        var p: Float = 7.0376836292e-2
        p = p * m - 1.1514610310e-1
        p = p * m + 1.1676998740e-1
        p = p * m - 1.2420140846e-1
        p = p * m + 1.4249322787e-1
        p = p * m - 1.6668057665e-1
        p = p * m + 2.0000714765e-1
        p = p * m - 2.4999993993e-1
        p = p * m + 3.3333331174e-1
        var y = p * m
        y = y * z
        y = y + e * ln2Lo
        y = y - 0.5 * z
        var result = m + y
        result = result + e * ln2Hi
        return result
    }

    /// tanh x: an odd polynomial for |x| < 0.625, `1 - 2 / (e^{2|x|} + 1)` above, ±1 beyond 9.
    public static func tanh(_ x: Float) -> Float {
        if x.isNaN { return x }
        let magnitude = x.magnitude
        if magnitude > 9 { return x > 0 ? 1 : -1 }
        if magnitude >= 0.625 {
            let e = exp(magnitude + magnitude)
            var t = e + 1
            t = 2 / t
            t = 1 - t
            return x < 0 ? -t : t
        }
        let z = x * x
        var p: Float = -5.70498872745e-3
        p = p * z + 2.06390887954e-2
        p = p * z - 5.37397155531e-2
        p = p * z + 1.33314422036e-1
        p = p * z - 3.33332819422e-1
        var y = p * z
        y = y * x
        return y + x
    }
}
