/// What a provider with linear rates asks for an order.
///
/// A job's length is not known before it runs, so a linear quote prices the resources for the
/// whole deadline: the most the provider could be tied up. Operators who want something smarter
/// use a pricing script.
public enum PriceQuote {
    public static func linear(_ rates: LinearRates, for manifest: JobManifest) throws(AmountError) -> Amount {
        let resources = manifest.resources
        let seconds = UInt64(max(manifest.deadlineSeconds, 0))
        // Each term: rate (micros per unit-hour) * units * seconds / 3600, with units in their
        // natural fractions: CPU in millis (/1000), memory and storage in bytes (/2^30).
        let terms: [(rate: Amount, units: UInt64, per: UInt64)] = [
            (rates.perGPUHour, UInt64(resources.gpuUnits), 1),
            (rates.perCPUHour, UInt64(resources.cpuMillis), 1_000),
            (rates.perMemoryGiBHour, UInt64(resources.memoryBytes), 1 << 30),
            (rates.perStorageGiBHour, UInt64(resources.storageBytes), 1 << 30),
        ]
        var total = Amount.zero
        for term in terms where !term.rate.isZero && term.units > 0 {
            guard let perHour = MulDiv.floor(UInt64(term.rate.micros), times: term.units, over: term.per),
                  let cost = MulDiv.floor(UInt64(perHour), times: seconds, over: 3_600) else { throw .overflow }
            total = try total.adding(Amount(micros: cost))
        }
        return max(total, rates.minimum)
    }
}
