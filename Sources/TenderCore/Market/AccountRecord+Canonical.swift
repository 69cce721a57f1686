extension AccountRecord {
    /// The record's stored document, written by hand: every signed write stores the documents of
    /// the accounts it touches (a nonce at least), and the encoder's tree cost more than the rest
    /// of the store's work on them. The same bytes as `CanonicalJSON.encode` (tested); a provider's
    /// profile, written rarely, still goes through the encoder.
    public func canonicalJSON() throws -> String {
        var json = CanonicalJSONText(capacity: 160)
        let profileJSON = try profile.map { String(decoding: try CanonicalJSON.encode($0), as: UTF8.self) }
        json.object { o in
            o.member("artifactBytes", artifactBytes)
            o.member("id", id.hex)
            if let jailedUntil { o.member("jailedUntil", jailedUntil.millis) }
            o.member("lastNonce", lastNonce)
            if let profileJSON {
                o.member("profile")
                o.raw(profileJSON)
            }
            o.member("reputationBasisPoints", reputationBasisPoints)
        }
        return json.text
    }
}
