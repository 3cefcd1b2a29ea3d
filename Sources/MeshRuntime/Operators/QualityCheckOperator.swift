public import MeshData
import MeshFormats
public import MeshPlan

/// A product's quality rules on the records a port publishes, in order: each failing
/// record is counted per rule and then, as the rule says, sent to the dead-letter topic
/// (`dead-letter`), removed (`drop`), let through with a warning (`warn`), or stops the
/// run (`fail`). A record fails a rule when the check is FALSE or NULL.
public final class QualityCheckOperator: Operator {
  public enum OnFail: String, Sendable { case deadLetter = "dead-letter", drop, fail, warn }

  struct Rule {
    var name: String
    var onFail: OnFail
    var check: CompiledExpression
  }

  public let name: String
  private let rules: [Rule]

  public init(name: String, checks: [QualityCheck], keys: KeyRing = KeyRing()) throws(RunFailure) {
    self.name = name
    var rules: [Rule] = []
    for check in checks {
      guard let onFail = OnFail(rawValue: check.onFail) else {
        throw RunFailure("quality rule \(check.name): onFail '\(check.onFail)' is not one meshc knows")
      }
      do {
        rules.append(Rule(name: check.name, onFail: onFail, check: try CompiledExpression(check.condition, keys: keys)))
      } catch {
        throw RunFailure("quality rule \(check.name): \(error.description)")
      }
    }
    self.rules = rules
  }

  public func process(_ batch: RecordBatch) throws(RunFailure) -> OperatorOutput {
    var output = OperatorOutput()
    var current = batch
    for rule in rules {
      var context = EvaluationContext()
      let passing = Set(rule.check.selection(current, &context))
      let failing = current.rows.filter { !passing.contains(Int32($0)) }
      guard !failing.isEmpty else { continue }
      output.failedChecks[rule.name, default: 0] += failing.count
      switch rule.onFail {
      case .fail:
        var one = current
        one.selection = [Int32(failing[0])]
        var text: [UInt8] = []
        BatchJSON(avro: nil).append(one, to: &text)
        throw RunFailure(
          "quality rule \(rule.name) failed (onFail: fail) for \(failing.count) record(s), first: "
            + String(decoding: text.prefix(300), as: UTF8.self))
      case .warn:
        output.warnings.append("quality rule \(rule.name): \(failing.count) record(s) failed (onFail: warn)")
        continue
      case .drop:
        output.dropped[rule.name, default: 0] += failing.count
      case .deadLetter:
        output.deadLetters += DeadLetters.of(current, rows: failing, step: name) { _ in
          "quality rule \(rule.name) failed"
        }
      }
      current.selection = current.rows.filter { passing.contains(Int32($0)) }.map { Int32($0) }
    }
    output.batches = [current]
    return output
  }
}
