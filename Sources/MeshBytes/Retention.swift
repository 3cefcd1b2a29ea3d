/// How long or how much a log keeps: a limit, or no limit at all. The one model of
/// "infinite" in meshc — manifests, the command line, topic configuration and
/// `topic.conf` (where Kafka's `-1` spells it) all convert to and from this.
public enum Retention<Amount: Hashable & Sendable>: Hashable, Sendable {
  case infinite
  case limited(Amount)

  /// The limit; nil when there is none.
  public var limit: Amount? {
    if case .limited(let amount) = self { return amount }
    return nil
  }

  /// `infinite`, or what `amount` makes of the text (the duration or size grammar).
  public static func parse(
    _ text: String, amount: (String) -> Result<Amount, QuantitySyntaxError>
  ) -> Result<Retention, QuantitySyntaxError> {
    if text == "infinite" { return .success(.infinite) }
    if text == "-1" || text.lowercased() == "infinite" || text.lowercased() == "unlimited" {
      return .failure(QuantitySyntaxError("expected 'infinite' for no limit", help: "write 'infinite'"))
    }
    return amount(text).map { .limited($0) }
  }
}

extension Retention: CustomStringConvertible where Amount: CustomStringConvertible {
  public var description: String {
    switch self {
    case .infinite: "infinite"
    case .limited(let amount): amount.description
    }
  }
}
