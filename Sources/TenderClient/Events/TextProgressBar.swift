/// A text progress bar, `[########------------]  40%`.
public enum TextProgressBar {
    public static func text(fraction: Double, width: Int) -> String {
        let clamped = fraction.isFinite ? min(max(fraction, 0), 1) : 0
        let filled = Int((clamped * Double(width)).rounded(.down))
        let percent = Int((clamped * 100).rounded(.down))
        let pad = percent < 10 ? "  " : percent < 100 ? " " : ""
        return "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "] \(pad)\(percent)%"
    }
}
