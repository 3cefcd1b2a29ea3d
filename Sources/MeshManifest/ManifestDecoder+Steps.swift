import MeshBytes
import MeshDiagnostics
import MeshYAML

extension ManifestDecoder {
  mutating func decodeInput(_ node: YAMLNode) -> ProductInput? {
    guard
      let input = fields(
        of: node, "input",
        allowed: [
          "name", "connector", "format", "path", "schema", "eventTime", "csv", "product", "port", "description",
        ])
    else { return nil }
    let name = identifier(required(input, "name"), "input name")
    if input["product"] != nil {
      for key in ["connector", "format", "path", "schema", "csv"] {
        if input[key] != nil {
          diagnostics.error(
            .conflictingKeys, "'\(key)' does not apply to an input that reads another product's port",
            at: input.keyRange(key), help: "an input either reads files (connector, path) or a port (product, port)")
        }
      }
      let product = productID(input["product"])
      let port = identifier(required(input, "port"), "port name")
      guard let name, let product, let port else { return nil }
      return ProductInput(name: name, source: .port(PortReference(product: product, port: port)), range: node.range)
    }
    if let connector = input["connector"], let text = string(connector, "connector"), text.value != "file" {
      diagnostics.error(
        .invalidChoice, "invalid connector '\(text.value)'", at: text.range,
        help: "expected 'file', or 'product' and 'port' to read another product")
    }
    let format = choice(required(input, "format"), "format", as: FileFormat.self)
    let path = string(required(input, "path"), "input path")
    if let path { checkGlob(path) }
    let csv = input["csv"].flatMap { decodeCSVOptions($0) }
    if input["csv"] != nil, let format, format.value != .csv {
      diagnostics.error(.conflictingKeys, "'csv' options apply only to format 'csv'", at: input.keyRange("csv"))
    }
    guard let name, let format, let path else { return nil }
    let source = FileSource(
      format: format, path: path, schema: schemaReference(required(input, "schema")),
      eventTime: string(input["eventTime"], "eventTime"), csv: csv)
    return ProductInput(name: name, source: .files(source), range: node.range)
  }

  mutating func decodeCSVOptions(_ node: YAMLNode) -> CSVOptions? {
    guard let csv = fields(of: node, "csv options", allowed: ["header", "delimiter"]) else { return nil }
    let delimiter = string(csv["delimiter"], "delimiter")
    if let delimiter, delimiter.value.unicodeScalars.count != 1 {
      diagnostics.error(
        .invalidValue, "a csv delimiter is one character, found '\(delimiter.value)'", at: delimiter.range)
    }
    return CSVOptions(header: bool(csv["header"], "header")?.value ?? true, delimiter: delimiter)
  }

  /// `domain.name`.
  mutating func productID(_ node: YAMLNode?) -> Located<String>? {
    guard let text = string(node, "product") else { return nil }
    let parts = text.value.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count == 2, parts.allSatisfy({ Self.isIdentifier(String($0)) }) else {
      diagnostics.error(
        .invalidIdentifier, "invalid product id '\(text.value)': expected 'domain.name'", at: text.range)
      return nil
    }
    return text
  }

  mutating func schemaReference(_ node: YAMLNode?) -> SchemaReference? {
    guard let node else { return nil }
    if node.mapping != nil { return .inline(node) }
    return string(node, "schema").map { .file($0) }
  }

  /// Globs allow `*`, `?`, `[…]` and `**`; an unclosed class or an absolute path that
  /// leaves the mesh is refused here rather than matching nothing at run time.
  mutating func checkGlob(_ path: Located<String>) {
    var depth = 0
    for character in path.value {
      if character == "[" { depth += 1 }
      if character == "]" { depth = max(0, depth - 1) }
    }
    if depth != 0 {
      diagnostics.error(.invalidGlob, "invalid path glob '\(path.value)': unclosed '['", at: path.range)
    } else if path.value.hasPrefix("/") || path.value.split(separator: "/").contains("..") {
      diagnostics.error(
        .invalidGlob, "path '\(path.value)' leaves the mesh root", at: path.range,
        help: "paths are relative to the directory that holds mesh.yaml")
    }
  }

  mutating func decodeTransform(_ node: YAMLNode) -> Transform? {
    let operations = ["filter", "select", "join", "aggregate", "union", "dedupe"]
    guard
      let step = fields(of: node, "transform", allowed: ["name", "from", "description"] + operations)
    else { return nil }
    let name = identifier(required(step, "name"), "transform name")
    let present = operations.filter { step[$0] != nil }
    guard present.count == 1, let kind = present.first, let body = step[kind] else {
      let message =
        present.isEmpty
        ? "a transform needs one operation" : "a transform has one operation, found \(present.joined(separator: ", "))"
      diagnostics.error(
        .invalidTransform, message, at: present.count > 1 ? step.keyRange(present[1]) : node.range,
        help: "use one of: \(operations.joined(separator: ", ")); chain steps with 'from'")
      return nil
    }
    let takesFrom = kind != "join" && kind != "union"
    let from = takesFrom ? identifier(required(step, "from"), "from") : nil
    if !takesFrom, step["from"] != nil {
      diagnostics.error(
        .conflictingKeys, "a \(kind) names its inputs itself; 'from' does not apply", at: step.keyRange("from"))
    }
    let operation: Transform.Operation?
    switch kind {
    case "filter": operation = expression(body, "filter").map { .filter($0) }
    case "select": operation = decodeColumns(body, "select").map { .select($0) }
    case "join": operation = decodeJoin(body).map { .join($0) }
    case "aggregate": operation = decodeAggregate(body).map { .aggregate($0) }
    case "union":
      let sources = stringList(body, "union input", identifiers: true)
      if sources.count < 2, body.sequence != nil {
        diagnostics.error(.invalidTransform, "a union needs at least two inputs", at: body.range)
      }
      operation = .union(sources)
    default: operation = decodeDedupe(body).map { .dedupe($0) }
    }
    guard let name, let operation, !takesFrom || from != nil else { return nil }
    return Transform(
      name: name, from: from, operation: operation, description: string(step["description"], "description"),
      range: node.range)
  }

  mutating func decodeColumns(_ node: YAMLNode, _ context: String) -> [SelectColumn]? {
    guard let pairs = node.mapping else {
      expectedKind("a mapping of column names to expressions", for: context, found: node)
      return nil
    }
    if pairs.isEmpty { diagnostics.error(.invalidTransform, "\(context) needs at least one column", at: node.range) }
    return pairs.compactMap { pair in
      guard let name = identifier(pair.key, "column name"), let value = expression(pair.value, "expression") else {
        return nil
      }
      return SelectColumn(name: name, expression: value)
    }
  }

  mutating func decodeJoin(_ node: YAMLNode) -> Join? {
    let allowed = [
      "left", "right", "on", "kind", "type", "within", "between", "allowedLateness", "clash", "rightPrefix",
    ]
    guard let join = fields(of: node, "join", allowed: allowed) else { return nil }
    let left = identifier(required(join, "left"), "join left")
    let right = identifier(required(join, "right"), "join right")
    let on = stringList(required(join, "on"), "join key", identifiers: true)
    let kind =
      join["kind"].map { choice($0, "join kind", as: JoinKind.self) }
      ?? Located(.streamTable, at: node.range)
    let type = join["type"].flatMap { choice($0, "join type", as: JoinType.self) }
    if let kind, kind.value == .streamTable, let type, type.value == .full {
      diagnostics.error(
        .invalidChoice, "a stream-table join keeps no table rows without a match: its type is inner or left",
        at: type.range, help: "use 'type: left', or a table-table join for a full outer join")
    }
    let within = timeSpan(join["within"], "join window")
    let lateness = timeSpan(join["allowedLateness"], "allowed lateness", allowZero: true)
    let between = join["between"].flatMap { joinBounds($0) }
    if let between, join["within"] != nil {
      diagnostics.error(
        .conflictingKeys, "a join has 'within' or 'between', not both", at: between.range,
        help: "'within: 10m' is 'between: [-10m, 10m]'")
    }
    if let kind, kind.value == .streamStream, join["within"] == nil, join["between"] == nil {
      diagnostics.error(
        .missingKey, "a stream-stream join needs 'within', the event-time distance of matching records",
        at: kind.range, help: "add e.g. 'within: 1h', or 'between: [-5m, 10m]' (the right side's time minus the left's)"
      )
    }
    let clash = join["clash"].flatMap { choice($0, "join clash", as: JoinClash.self) }
    let prefix = join["rightPrefix"].flatMap { identifier($0, "join right prefix") }
    guard let left, let right, let kind, !on.isEmpty else { return nil }
    return Join(
      left: left, right: right, on: on, kind: kind, type: type, within: within, between: between,
      allowedLateness: lateness, clash: clash, rightPrefix: prefix)
  }

  /// `between: [-5m, 10m]`: how far before and after a left record's time a right
  /// record's may be.
  private mutating func joinBounds(_ node: YAMLNode) -> Located<JoinBounds>? {
    let items = list(node, "join bounds")
    guard items.count == 2 else {
      if node.sequence != nil {
        diagnostics.error(
          .invalidValue, "'between' takes two times, the earliest and the latest", at: node.range,
          help: "e.g. 'between: [-5m, 10m]'")
      }
      return nil
    }
    guard let lower = signedMilliseconds(items[0], "join bound"), let upper = signedMilliseconds(items[1], "join bound")
    else { return nil }
    guard lower <= upper else {
      diagnostics.error(
        .invalidValue, "the join's bounds are the wrong way round: the first is the earliest", at: node.range)
      return nil
    }
    return Located(JoinBounds(lower: lower, upper: upper), at: node.range)
  }

  /// A time span that may be negative (`-5m`), in milliseconds.
  private mutating func signedMilliseconds(_ node: YAMLNode, _ context: String) -> Int64? {
    guard let text = quantityText(node, context, help: TimeSpan.example) else { return nil }
    let negative = text.hasPrefix("-")
    switch TimeSpan.parse(negative ? String(text.dropFirst()) : text) {
    case .failure(let problem):
      diagnostics.error(
        .invalidTimeSpan, "invalid \(context) '\(text)': \(problem.message)", at: node.range, help: problem.help)
      return nil
    case .success(let span): return negative ? -span.milliseconds : span.milliseconds
    }
  }

  mutating func decodeAggregate(_ node: YAMLNode) -> Aggregate? {
    guard let aggregate = fields(of: node, "aggregate", allowed: ["groupBy", "window", "measures"]) else {
      return nil
    }
    let groupBy = stringList(aggregate["groupBy"], "group-by column", identifiers: true)
    let window = aggregate["window"].flatMap { decodeWindow($0) }
    let measures = required(aggregate, "measures").flatMap { decodeColumns($0, "measures") }
    guard let measures else { return nil }
    return Aggregate(groupBy: groupBy, window: window, measures: measures)
  }

  mutating func decodeWindow(_ node: YAMLNode) -> Window? {
    let kinds = ["tumbling", "hopping", "session"]
    guard
      let window = fields(of: node, "window", allowed: kinds + ["advance", "allowedLateness", "late"])
    else { return nil }
    let present = kinds.filter { window[$0] != nil }
    guard present.count == 1 else {
      diagnostics.error(
        .invalidTransform,
        present.isEmpty ? "a window needs a kind" : "a window has one kind, found \(present.joined(separator: ", "))",
        at: node.range, help: "use one of: tumbling: 1h, hopping: 1h with advance: 5m, session: 30m")
      return nil
    }
    let lateness = timeSpan(window["allowedLateness"], "allowed lateness", allowZero: true)
    let kind: Window.Kind?
    switch present[0] {
    case "tumbling":
      kind = timeSpan(window["tumbling"], "window size").map { .tumbling(size: $0) }
    case "hopping":
      let size = timeSpan(window["hopping"], "window size")
      let advance = timeSpan(required(window, "advance"), "window advance")
      if let size, let advance, advance.value > size.value {
        diagnostics.error(
          .invalidValue, "a hopping window's advance (\(advance.value)) exceeds its size (\(size.value))",
          at: advance.range)
      }
      kind = size.flatMap { size in advance.map { .hopping(size: size, advance: $0) } }
    default:
      kind = timeSpan(window["session"], "session gap").map { .session(gap: $0) }
    }
    if present[0] != "hopping", window["advance"] != nil {
      diagnostics.error(.conflictingKeys, "'advance' applies only to hopping windows", at: window.keyRange("advance"))
    }
    let late = window["late"].flatMap { choice($0, "late policy", as: LatePolicy.self) }
    if let late, late.value == .update, present[0] == "session" {
      diagnostics.error(
        .invalidChoice, "'late: update' needs a tumbling or hopping window: a late record can move a session's start",
        at: late.range, help: "use 'late: drop' or 'late: dead-letter' with session windows")
    }
    return kind.map { Window(kind: $0, allowedLateness: lateness, late: late, range: node.range) }
  }

  mutating func decodeDedupe(_ node: YAMLNode) -> Dedupe? {
    guard let dedupe = fields(of: node, "dedupe", allowed: ["key", "within"]) else { return nil }
    let key = stringList(required(dedupe, "key"), "dedupe key", identifiers: true)
    guard !key.isEmpty else { return nil }
    return Dedupe(key: key, within: timeSpan(dedupe["within"], "dedupe window"))
  }
}
