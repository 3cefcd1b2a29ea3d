import Foundation
import MeshBytes
import MeshDiagnostics
import MeshTestSupport
import MeshYAML
import Testing

@testable import MeshManifest

/// A minimal valid product; cases below replace one part of it with a mistake.
private func product(
  metadata: String = "name: orders\n  domain: sales\n  owner: {team: sales, email: a@example.com}",
  inputs: String = "- {name: raw, format: csv, path: data/*.csv, schema: s.avsc}",
  transforms: String = "- {name: valid, from: raw, filter: amount > 0}",
  outputs: String = "- {name: stream, kind: stream, from: valid, schema: o.avsc}",
  extra: String = ""
) -> String {
  """
  apiVersion: meshc/v1
  kind: DataProduct
  metadata:
    \(metadata)
  spec:
    inputs:
      \(inputs)
    transforms:
      \(transforms)
    outputs:
      \(outputs)
  \(extra)
  """
}

private func decode(_ marked: MarkedSource) -> (DataProduct?, [Diagnostic]) {
  let parsed = parseYAML(marked.sourceFile(path: "orders.yaml"))
  var decoder = ManifestDecoder()
  let product = parsed.documents.first?.root.flatMap { decoder.decodeProduct($0) }
  return (product, (parsed.diagnostics.all + decoder.diagnostics.all).sorted(by: Diagnostic.isOrderedBefore))
}

struct DiagnosticCase: CustomTestStringConvertible, Sendable {
  let code: DiagnosticCode
  let yaml: String
  var testDescription: String { "\(code.id) \(code.summary)" }
}

private let cases: [DiagnosticCase] = [
  DiagnosticCase(code: .wrongNodeKind, yaml: product(inputs: "1️⃣{a: b}")),
  DiagnosticCase(code: .unknownKey, yaml: product(transforms: "- {name: valid, from: raw, 1️⃣fliter: x}")),
  DiagnosticCase(code: .missingKey, yaml: product(transforms: "- 1️⃣{name: valid, filter: x}")),
  DiagnosticCase(
    code: .invalidChoice,
    yaml: product(inputs: "- {name: raw, format: 1️⃣xml, path: data/*.csv, schema: s.avsc}")),
  DiagnosticCase(
    code: .invalidIdentifier,
    yaml: product(metadata: "name: 1️⃣Orders\n  domain: sales\n  owner: {team: sales}")),
  DiagnosticCase(
    code: .duplicateName,
    yaml: product(transforms: "- {name: valid, from: raw, filter: x}\n    - {name: 1️⃣valid, from: raw, filter: y}")),
  DiagnosticCase(code: .unknownStep, yaml: product(transforms: "- {name: valid, from: 1️⃣rwa, filter: x}")),
  DiagnosticCase(
    code: .transformCycle,
    yaml: product(transforms: "- {name: a, from: b, filter: x}\n    - {name: b, from: 1️⃣a, filter: y}")),
  DiagnosticCase(
    code: .invalidTimeSpan,
    yaml: product(transforms: "- {name: valid, from: raw, dedupe: {key: id, within: 1️⃣5 minutes}}")),
  DiagnosticCase(code: .invalidPercentage, yaml: product(extra: "  sla: {availability: 1️⃣101%}")),
  DiagnosticCase(code: .unsupportedAPIVersion, yaml: product().replacingOccurrences(of: "meshc/v1", with: "1️⃣meshc/v9")),
  DiagnosticCase(
    code: .unexpectedKind, yaml: product().replacingOccurrences(of: "kind: DataProduct", with: "kind: 1️⃣Product")),
  DiagnosticCase(
    code: .invalidTransform, yaml: product(transforms: "- {name: valid, from: raw, filter: x, 1️⃣select: {a: b}}")),
  DiagnosticCase(
    code: .conflictingKeys,
    yaml: product(outputs: "- {name: stream, kind: stream, from: valid, schema: o.avsc, 1️⃣route: /x}")),
  DiagnosticCase(
    code: .invalidValue,
    yaml: product(metadata: "name: orders\n  domain: sales\n  owner: {team: sales, email: 1️⃣nobody}")),
  DiagnosticCase(
    code: .invalidGlob, yaml: product(inputs: "- {name: raw, format: csv, path: 1️⃣../secret/*.csv, schema: s.avsc}")),
  DiagnosticCase(
    code: .invalidSize,
    yaml: product(outputs: "- {name: stream, kind: stream, from: valid, schema: o.avsc, retentionBytes: 1️⃣10 parsecs}")),
  DiagnosticCase(code: .unknownPort, yaml: product(extra: "  access:\n    - {consumer: bi, ports: [1️⃣strem]}")),
]

@Test(arguments: cases)
func everyManifestCodePointsAtTheMistake(_ testCase: DiagnosticCase) {
  let marked = MarkedSource(testCase.yaml)
  let (_, diagnostics) = decode(marked)
  let matching = diagnostics.filter { $0.code == testCase.code }
  #expect(matching.count == 1, "got \(diagnostics.map { "\($0.code.id) \($0.message)" })")
  #expect(matching.first?.range?.file == "orders.yaml")
  #expect(matching.first?.range?.start == marked["1️⃣"])
}

@Test func theValidTemplateDecodesWithoutFindings() {
  let (product, diagnostics) = decode(MarkedSource(product()))
  #expect(diagnostics.isEmpty, "\(diagnostics.map(\.message))")
  #expect(product?.id == "sales.orders")
  #expect(product?.metadata.lifecycle.value == .draft)
}

@Test func unknownKeysSuggestTheClosestKey() {
  let (_, diagnostics) = decode(MarkedSource(product(transforms: "- {name: valid, from: raw, fliter: x}")))
  #expect(diagnostics.first { $0.code == .unknownKey }?.help == "did you mean 'filter'?")
}

@Test func allMistakesOfAFileAreReportedTogether() {
  let yaml = product(
    metadata: "name: Orders\n  domain: sales\n  owner: {team: sales}\n  lifecycle: live",
    transforms: "- {name: valid, from: rwa, filter: x}", extra: "  sla: {freshness: soon}")
  let codes = Set(decode(MarkedSource(yaml)).1.map(\.code))
  #expect(codes.isSuperset(of: [.invalidIdentifier, .invalidChoice, .invalidTimeSpan]))
}

@Test func transformsDecodeEveryOperation() {
  let transforms = """
    - {name: valid, from: raw, filter: "amount >= 0"}
        - name: public
          from: valid
          select: {order_id: order_id, amount_eur: amount * fx_rate}
        - {name: both, join: {left: valid, right: public, on: [order_id], kind: stream-stream, within: 1h}}
        - name: hourly
          from: public
          aggregate:
            groupBy: [country]
            window: {hopping: 1h, advance: 5m, allowedLateness: 10m}
            measures: {revenue: sum(amount_eur), orders: count(*)}
        - {name: all, union: [valid, public]}
        - {name: unique, from: all, dedupe: {key: order_id, within: 1d}}
    """
  let (product, diagnostics) = decode(MarkedSource(product(transforms: transforms)))
  #expect(diagnostics.isEmpty, "\(diagnostics.map(\.message))")
  let steps = product?.transforms ?? []
  #expect(steps.count == 6)
  guard steps.count == 6 else { return }
  if case .select(let columns) = steps[1].operation {
    #expect(columns.map(\.expression.text) == ["order_id", "amount * fx_rate"])
  } else {
    Issue.record("not a select")
  }
  if case .join(let join) = steps[2].operation {
    #expect(join.kind.value == .streamStream)
    #expect(join.within?.value == TimeSpan(milliseconds: 3_600_000))
  } else {
    Issue.record("not a join")
  }
  if case .aggregate(let aggregate) = steps[3].operation, case .hopping(let size, let advance)? = aggregate.window?.kind
  {
    #expect(size.value.milliseconds == 3_600_000)
    #expect(advance.value.milliseconds == 300_000)
    #expect(aggregate.window?.allowedLateness?.value.milliseconds == 600_000)
  } else {
    Issue.record("not a hopping aggregate")
  }
  #expect(steps[4].upstream.map(\.value) == ["valid", "public"])
}

@Test func expressionsKeepTheirExactLocation() {
  let marked = MarkedSource(product(transforms: "- {name: valid, from: raw, filter: 1️⃣\"amount > 0\"}"))
  let (product, _) = decode(marked)
  guard case .filter(let expression)? = product?.transforms.first?.operation else {
    Issue.record("no filter")
    return
  }
  #expect(expression.text == "amount > 0")
  #expect(expression.range.start == marked["1️⃣"])
}

@Test func percentagesParse() {
  #expect(Percentage.parse("99.9%")?.value == 99.9)
  #expect(Percentage.parse("99.9") == nil)
}

@Test func aJoinsTypeIsInnerLeftOrFullAndAStreamTableJoinIsNeverFull() {
  func joinCase(_ join: String) -> (DataProduct?, [Diagnostic], MarkedSource) {
    let marked = MarkedSource(
      product(transforms: "- {name: valid, from: raw, filter: x}\n    - {name: both, join: \(join)}"))
    let (product, diagnostics) = decode(marked)
    return (product, diagnostics, marked)
  }
  let (decoded, clean, _) = joinCase("{left: valid, right: raw, on: id, type: left, allowedLateness: 5m}")
  #expect(clean.isEmpty, "\(clean.map(\.message))")
  guard case .join(let join) = decoded?.transforms.last?.operation else {
    Issue.record("not a join")
    return
  }
  #expect(join.type?.value == .left)
  #expect(join.allowedLateness?.value.milliseconds == 300_000)
  for (text, message) in [
    ("{left: valid, right: raw, on: id, type: 1️⃣outer}", "invalid join type 'outer'"),
    (
      "{left: valid, right: raw, on: id, type: 1️⃣full}",
      "a stream-table join keeps no table rows without a match: its type is inner or left"
    ),
  ] {
    let (_, diagnostics, marked) = joinCase(text)
    #expect(diagnostics.map(\.code) == [.invalidChoice], "\(diagnostics.map(\.message))")
    #expect(diagnostics.first?.message == message)
    #expect(diagnostics.first?.range?.file == "orders.yaml")
    #expect(diagnostics.first?.range?.start == marked["1️⃣"])
  }
  #expect(joinCase("{left: valid, right: raw, on: id, kind: table-table, type: full}").1.isEmpty)
}

@Test func aStreamStreamJoinTakesBoundsThatMayBeAsymmetric() {
  func joinCase(_ join: String) -> (DataProduct?, [Diagnostic], MarkedSource) {
    let marked = MarkedSource(
      product(transforms: "- {name: valid, from: raw, filter: x}\n    - {name: both, join: \(join)}"))
    let (product, diagnostics) = decode(marked)
    return (product, diagnostics, marked)
  }
  let (decoded, clean, _) = joinCase("{left: valid, right: raw, on: id, kind: stream-stream, between: [-5m, 10m]}")
  #expect(clean.isEmpty, "\(clean.map(\.message))")
  guard case .join(let join) = decoded?.transforms.last?.operation else {
    Issue.record("not a join")
    return
  }
  #expect(join.between?.value == JoinBounds(lower: -300_000, upper: 600_000))
  for (text, code, message) in [
    (
      "{left: valid, right: raw, on: id, kind: stream-stream, between: 1️⃣[10m, -5m]}", DiagnosticCode.invalidValue,
      "the join's bounds are the wrong way round: the first is the earliest"
    ),
    (
      "{left: valid, right: raw, on: id, kind: stream-stream, between: 1️⃣[1m], within: 1m}", .invalidValue,
      "'between' takes two times, the earliest and the latest"
    ),
    (
      "{left: valid, right: raw, on: id, kind: stream-stream, within: 1m, between: 1️⃣[-1m, 1m]}", .conflictingKeys,
      "a join has 'within' or 'between', not both"
    ),
    (
      "{left: valid, right: raw, on: id, kind: stream-stream, between: [1️⃣-5 parsecs, 1m]}", .invalidTimeSpan,
      "invalid join bound '-5 parsecs': "
    ),
  ] {
    let (_, diagnostics, marked) = joinCase(text)
    #expect(diagnostics.map(\.code) == [code], "\(diagnostics.map(\.message))")
    #expect(diagnostics.first?.message.hasPrefix(message) ?? false, "\(diagnostics.map(\.message))")
    #expect(diagnostics.first?.range?.start == marked["1️⃣"])
  }
}

@Test func aWindowsLatePolicyIsDropDeadLetterOrUpdateAndSessionsAreNotUpdated() {
  func windowCase(_ window: String) -> (DataProduct?, [Diagnostic], MarkedSource) {
    let marked = MarkedSource(
      product(
        transforms:
          "- {name: valid, from: raw, filter: x}\n    "
          + "- {name: per_hour, from: raw, aggregate: {groupBy: [id], window: \(window), measures: {n: count(*)}}}"))
    let (product, diagnostics) = decode(marked)
    return (product, diagnostics, marked)
  }
  let (decoded, clean, _) = windowCase("{tumbling: 1h, allowedLateness: 10m, late: dead-letter}")
  #expect(clean.isEmpty, "\(clean.map(\.message))")
  guard case .aggregate(let aggregate) = decoded?.transforms.last?.operation else {
    Issue.record("not an aggregate")
    return
  }
  #expect(aggregate.window?.late?.value == .deadLetter)
  #expect(windowCase("{hopping: 1h, advance: 5m, late: update}").1.isEmpty)
  for (text, message) in [
    ("{tumbling: 1h, late: 1️⃣sometimes}", "invalid late policy 'sometimes'"),
    (
      "{session: 30m, late: 1️⃣update}",
      "'late: update' needs a tumbling or hopping window: a late record can move a session's start"
    ),
  ] {
    let (_, diagnostics, marked) = windowCase(text)
    #expect(diagnostics.map(\.code) == [.invalidChoice], "\(diagnostics.map(\.message))")
    #expect(diagnostics.first?.message == message)
    #expect(diagnostics.first?.range?.file == "orders.yaml")
    #expect(diagnostics.first?.range?.start == marked["1️⃣"])
  }
}
