import MeshDiagnostics
import MeshSchema
import MeshYAML

extension ManifestDecoder {
  static let portKeys: [OutputPort.Kind: [String]] = [
    .stream: ["key", "retention", "retentionBytes", "partitions"],
    .batch: ["format", "path", "partitionBy", "every"],
    .api: ["route"],
  ]

  mutating func decodeOutput(_ node: YAMLNode) -> OutputPort? {
    let common = ["name", "kind", "from", "schema", "compatibility", "description"]
    let specific = Self.portKeys.values.flatMap { $0 }
    guard let port = fields(of: node, "output port", allowed: common + specific) else { return nil }
    let name = identifier(required(port, "name"), "port name")
    let kind = choice(required(port, "kind"), "port kind", as: OutputPort.Kind.self)
    let from = identifier(required(port, "from"), "from")
    if let kind {
      for (otherKind, keys) in Self.portKeys where otherKind != kind.value {
        for key in keys where port[key] != nil && !(Self.portKeys[kind.value] ?? []).contains(key) {
          diagnostics.error(
            .conflictingKeys, "'\(key)' does not apply to a \(kind.value.rawValue) port",
            at: port.keyRange(key),
            help: "'\(key)' belongs to \(otherKind.rawValue) ports")
        }
      }
    }
    let schema = schemaReference(port["schema"])
    if kind?.value == .stream, port["schema"] == nil {
      diagnostics.error(
        .missingKey, "missing required key 'schema' in stream port: a stream port's schema is its contract",
        at: SourceRange(file: node.range.file, at: node.range.start))
    }
    var format: Located<FileFormat>?
    var path: Located<String>?
    if kind?.value == .batch {
      format = choice(required(port, "format"), "format", as: FileFormat.self)
      path = string(required(port, "path"), "output path")
      if let path { checkGlob(path) }
    }
    let route = kind?.value == .api ? string(required(port, "route"), "route") : nil
    if let route, !route.value.hasPrefix("/") {
      diagnostics.error(.invalidValue, "an api route starts with '/', found '\(route.value)'", at: route.range)
    }
    guard let name, let kind, let from else { return nil }
    return OutputPort(
      name: name, kind: kind, from: from, schema: schema,
      compatibility: choice(port["compatibility"], "compatibility mode", as: CompatibilityMode.self),
      description: string(port["description"], "description"),
      key: stringList(port["key"], "key column", identifiers: true),
      retention: retention(port["retention"], "retention"),
      retentionBytes: sizeRetention(port["retentionBytes"], "retentionBytes"),
      partitions: positiveInt(port["partitions"], "partitions"), format: format, path: path,
      partitionBy: string(port["partitionBy"], "partitionBy"), every: timeSpan(port["every"], "batch interval"),
      route: route, range: node.range)
  }

  mutating func decodeServiceLevels(_ node: YAMLNode) -> ServiceLevels? {
    guard let sla = fields(of: node, "sla", allowed: ["freshness", "availability", "completeness"]) else {
      return nil
    }
    return ServiceLevels(
      freshness: timeSpan(sla["freshness"], "freshness"),
      availability: percentage(sla["availability"], "availability"),
      completeness: percentage(sla["completeness"], "completeness"), range: node.range)
  }

  mutating func decodeQualityRule(_ node: YAMLNode) -> QualityRule? {
    guard let rule = fields(of: node, "quality rule", allowed: ["name", "check", "onFail"]) else { return nil }
    let name = identifier(required(rule, "name"), "quality rule name")
    let check = expression(required(rule, "check"), "check")
    let onFail =
      rule["onFail"].map { choice($0, "onFail", as: QualityRule.OnFail.self) }
      ?? Located(.deadLetter, at: node.range)
    guard let name, let check, let onFail else { return nil }
    return QualityRule(name: name, check: check, onFail: onFail, range: node.range)
  }

  mutating func decodeAccessGrant(_ node: YAMLNode) -> AccessGrant? {
    guard let grant = fields(of: node, "access grant", allowed: ["consumer", "ports", "pii"]) else { return nil }
    let consumer = identifierLike(required(grant, "consumer"), "consumer")
    let ports = stringList(required(grant, "ports"), "port name", identifiers: true)
    let pii = grant["pii"].map { choice($0, "pii", as: AccessGrant.PII.self) } ?? Located(.none, at: node.range)
    guard let consumer, let pii else { return nil }
    return AccessGrant(consumer: consumer, ports: ports, pii: pii, range: node.range)
  }
}
