import MeshManifest

extension DataProduct {
  /// Every schema the product names, with what names it: its file inputs' (by input
  /// name), then its ports' (by port name).
  var namedSchemas:
    (inputs: [(name: String, schema: SchemaReference)], ports: [(name: String, schema: SchemaReference)])
  {
    var inputs: [(name: String, schema: SchemaReference)] = []
    for input in self.inputs {
      if case .files(let source) = input.source, let schema = source.schema {
        inputs.append((input.name.value, schema))
      }
    }
    let ports = outputs.compactMap { port in port.schema.map { (name: port.name.value, schema: $0) } }
    return (inputs, ports)
  }

  /// Every schema the product names: its file inputs', then its ports'.
  var schemaReferences: [SchemaReference] {
    let named = namedSchemas
    return named.inputs.map(\.schema) + named.ports.map(\.schema)
  }
}
