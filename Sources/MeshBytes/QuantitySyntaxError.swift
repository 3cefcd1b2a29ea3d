/// Why a duration or size as people type it did not parse: the message of the one
/// diagnostic both the manifest decoder and the command line report, and a hint.
public struct QuantitySyntaxError: Error, Hashable, Sendable {
  public var message: String
  public var help: String?

  public init(_ message: String, help: String? = nil) {
    self.message = message
    self.help = help
  }
}
