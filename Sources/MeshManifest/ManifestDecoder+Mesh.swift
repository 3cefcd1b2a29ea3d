import MeshDiagnostics
import MeshSchema
public import MeshYAML

extension ManifestDecoder {
  /// Decodes `mesh.yaml` (`kind: Mesh`).
  public mutating func decodeMesh(_ root: YAMLNode) -> MeshConfig? {
    guard
      let top = fields(
        of: root, "mesh.yaml", allowed: ["apiVersion", "kind", "name", "defaults", "governance"])
    else { return nil }
    checkHeader(top, kind: "Mesh")
    let name = identifierLike(required(top, "name"), "mesh name")
    var defaults = MeshDefaults()
    if let node = top["defaults"],
      let fields = fields(of: node, "defaults", allowed: ["compatibility", "dataDir", "retention"])
    {
      defaults.compatibility = choice(fields["compatibility"], "compatibility mode", as: CompatibilityMode.self)
      defaults.dataDir = string(fields["dataDir"], "dataDir")
      defaults.retention = retention(fields["retention"], "retention")
    }
    var governance = Governance(requiredMetadata: [], domains: [], requirePIIMasking: nil, sharedIdentifiers: [])
    if let node = top["governance"],
      let fields = fields(
        of: node, "governance", allowed: ["requiredMetadata", "domains", "requirePiiMasking", "sharedIdentifiers"])
    {
      governance.requiredMetadata = stringList(fields["requiredMetadata"], "required metadata field").filter {
        guard Governance.requirableMetadata.contains($0.value) else {
          diagnostics.error(
            .invalidChoice, "invalid required metadata field '\($0.value)'", at: $0.range,
            help: (Suggestion.didYouMean($0.value, among: Governance.requirableMetadata).map { $0 + " " } ?? "")
              + "expected one of: \(Governance.requirableMetadata.joined(separator: ", "))")
          return false
        }
        return true
      }
      governance.domains = stringList(fields["domains"], "domain", identifiers: true)
      governance.requirePIIMasking = bool(fields["requirePiiMasking"], "requirePiiMasking")
      if let identifiers = fields["sharedIdentifiers"] {
        governance.sharedIdentifiers = decodeSharedIdentifiers(identifiers)
      }
    }
    guard let name else { return nil }
    return MeshConfig(name: name, defaults: defaults, governance: governance, range: root.range)
  }

  private mutating func decodeSharedIdentifiers(_ node: YAMLNode) -> [SharedIdentifier] {
    guard let pairs = node.mapping else {
      expectedKind("a mapping of identifier names", for: "sharedIdentifiers", found: node)
      return []
    }
    return pairs.compactMap { pair in
      guard let name = identifier(pair.key, "shared identifier"),
        let fields = fields(of: pair.value, "shared identifier '\(name.value)'", allowed: ["type", "doc"]),
        let type = string(required(fields, "type"), "type")
      else { return nil }
      return SharedIdentifier(name: name, type: type, doc: string(fields["doc"], "doc"))
    }
  }
}
