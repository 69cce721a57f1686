import ArgumentParser
import Foundation
import TenderCore

/// Screens manifests against a provider profile the way the agent screens open orders: every
/// reason it would decline, or the price it would bid.
public struct AgentScreen: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "screen",
        abstract: "Say whether this machine would bid on each manifest, and at what price.",
        discussion: """
        Checks resources (GPU model, count, memory, CPU, storage) and placement attributes, then \
        prices with the profile's linear rates. Script pricing runs only in the live agent.

        Example:
          tender-agent screen --profile Providers/h100-sxm-8x.yaml Manifests/*.yaml
        """
    )

    @Option(help: "Provider profile (YAML or JSON).")
    var profile: String

    @Argument(help: "Job manifests to screen.")
    var manifests: [String]

    @Flag(help: "Print JSON instead of text.")
    var json = false

    struct Verdict: Encodable {
        var manifest: String
        var bid: Bool
        var price: Amount?
        var reasons: [String]
    }

    public init() {}

    public func run() async throws {
        let profile: ProviderProfile
        do {
            profile = try ProviderProfile.parse(try String(contentsOfFile: self.profile, encoding: .utf8))
        } catch let failure as ValidationFailure {
            FileHandle.standardError.write(Data("error: \(self.profile) is not a valid profile:\n\(failure)\n".utf8))
            throw ExitCode(2)
        } catch {
            FileHandle.standardError.write(Data("error: cannot read \(self.profile): \(error.localizedDescription)\n".utf8))
            throw ExitCode(2)
        }
        var verdicts: [Verdict] = []
        var unreadable = false
        for file in manifests {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8), let manifest = try? JobManifest.parse(text) else {
                FileHandle.standardError.write(Data("error: \(file) is missing or not a valid manifest (tender manifest validate \(file))\n".utf8))
                unreadable = true
                continue
            }
            var reasons = Eligibility.resourceReasons(manifest, profile: profile).map(\.description)
            var price: Amount?
            if case .linear(let rates) = profile.pricing {
                do {
                    let quote = try PriceQuote.linear(rates, for: manifest)
                    if quote > manifest.pricing.maxPrice {
                        reasons.append(DeclineReason.priceAboveReserve(price: quote, reserve: manifest.pricing.maxPrice).description)
                    }
                    price = quote
                } catch {
                    reasons.append("cannot price: \(error.description)")
                }
            }
            verdicts.append(Verdict(manifest: file, bid: reasons.isEmpty, price: price, reasons: reasons))
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(verdicts), as: UTF8.self))
        } else {
            for verdict in verdicts {
                if verdict.bid {
                    print("bid      \(verdict.manifest)  at \(verdict.price.map(\.description) ?? "the script's price") credits")
                } else {
                    print("decline  \(verdict.manifest)")
                    for reason in verdict.reasons { print("         \(reason)") }
                }
            }
        }
        if unreadable { throw ExitCode(2) }
    }
}
