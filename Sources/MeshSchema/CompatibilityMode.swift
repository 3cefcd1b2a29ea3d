/// The compatibility modes of Confluent Schema Registry.
public enum CompatibilityMode: String, Sendable, CaseIterable {
  case none = "NONE"
  case backward = "BACKWARD"
  case backwardTransitive = "BACKWARD_TRANSITIVE"
  case forward = "FORWARD"
  case forwardTransitive = "FORWARD_TRANSITIVE"
  case full = "FULL"
  case fullTransitive = "FULL_TRANSITIVE"

  /// Transitive modes compare with every earlier version, the others with the latest.
  public var isTransitive: Bool { rawValue.hasSuffix("_TRANSITIVE") }

  /// New consumers must read old data.
  var checksBackward: Bool { [.backward, .backwardTransitive, .full, .fullTransitive].contains(self) }
  /// Old consumers must read new data.
  var checksForward: Bool { [.forward, .forwardTransitive, .full, .fullTransitive].contains(self) }
}
