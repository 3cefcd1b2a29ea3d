// Every diagnostic code meshc emits, sorted by code, grouped by stage. Never renumber a
// code and never reuse a retired one: scripts and CI configurations match on them.
//
//   E00xx  driver: files, paths, usage
//   E01xx  YAML front end
//   E02xx  manifest decoding (DataProduct, mesh.yaml)
//   E03xx  mesh resolution: product ids, cross-product references, governance
//   E04xx  schemas (Avro, .avsc and inline)
//   E05xx  schema compatibility
//   E06xx  expressions: syntax, names, types
//   E07xx  log engine and its CLI
//   E08xx  planning: contracts, joins, lineage, the graph of products
//   E09xx  data files: Parquet, Avro containers, CSV, JSON Lines
//   E10xx  the runtime: meshc run
//   Wxxxx  warnings, numbered in the same ranges

extension DiagnosticCode {
  // MARK: E00xx driver

  public static let fileUnreadable = DiagnosticCode("E0001", "a file or directory cannot be read")
  public static let noManifests = DiagnosticCode("E0002", "no data product manifests were found under the given paths")
  public static let pathNotFound = DiagnosticCode("E0003", "a path given on the command line does not exist")
  public static let gitFailure = DiagnosticCode("E0004", "git history cannot be read (no repository, unknown ref)")
  public static let productNotFound = DiagnosticCode("E0005", "a product named on the command line is not in the mesh")

  // MARK: E01xx YAML

  public static let yamlSyntax = DiagnosticCode("E0101", "the file is not well-formed YAML")
  public static let yamlInvalidUTF8 = DiagnosticCode("E0102", "the file is not valid UTF-8")
  public static let yamlTabIndentation = DiagnosticCode(
    "E0103", "a tab character is used where YAML allows only spaces")
  public static let yamlAliasExpansionLimit = DiagnosticCode("E0104", "aliases expand to too many nodes")
  public static let yamlUndefinedAlias = DiagnosticCode("E0105", "an alias refers to an undefined anchor")
  public static let yamlDuplicateKey = DiagnosticCode("E0106", "a mapping has the same key twice")
  public static let yamlTooDeep = DiagnosticCode("E0107", "collections are nested too deeply")
  public static let yamlInvalidTaggedValue = DiagnosticCode("E0108", "a scalar does not fit its explicit tag")
  public static let yamlInvalidMerge = DiagnosticCode("E0109", "a merge key's value is not a mapping")

  // MARK: E02xx manifest

  public static let wrongNodeKind = DiagnosticCode("E0201", "a value has the wrong kind (mapping, list or scalar)")
  public static let unknownKey = DiagnosticCode("E0202", "a mapping has a key the manifest language does not know")
  public static let missingKey = DiagnosticCode("E0203", "a required key is missing")
  public static let invalidChoice = DiagnosticCode("E0204", "a value is not one of the allowed choices")
  public static let invalidIdentifier = DiagnosticCode("E0205", "a name is not a valid identifier")
  public static let duplicateName = DiagnosticCode("E0206", "two steps or rules of a product have the same name")
  public static let unknownStep = DiagnosticCode("E0207", "a reference names no input or transform of the product")
  public static let transformCycle = DiagnosticCode("E0208", "transforms read each other in a cycle")
  public static let invalidTimeSpan = DiagnosticCode("E0209", "a duration is malformed or out of range")
  public static let invalidPercentage = DiagnosticCode("E0210", "a percentage is malformed or out of range")
  public static let unsupportedAPIVersion = DiagnosticCode("E0211", "the manifest's apiVersion is not supported")
  public static let unexpectedKind = DiagnosticCode("E0212", "the document's kind is not the one expected here")
  public static let invalidTransform = DiagnosticCode("E0213", "a transform has no operation or more than one")
  public static let conflictingKeys = DiagnosticCode("E0214", "a key does not apply together with the others")
  public static let invalidValue = DiagnosticCode("E0215", "a value is empty, malformed or out of range")
  public static let invalidGlob = DiagnosticCode("E0216", "a path or glob is malformed or leaves the mesh root")
  public static let unknownPort = DiagnosticCode("E0217", "a reference names no output port of the product")
  public static let invalidSize = DiagnosticCode("E0218", "a size is malformed or not positive")

  // MARK: E03xx mesh resolution

  public static let duplicateProduct = DiagnosticCode("E0301", "two manifests define the same product id")
  public static let unknownProduct = DiagnosticCode("E0302", "an input reads a product that does not exist")
  public static let unknownProductPort = DiagnosticCode("E0303", "an input reads a port the product does not have")
  public static let schemaFileMissing = DiagnosticCode("E0304", "a referenced schema file does not exist")
  public static let missingRequiredMetadata = DiagnosticCode("E0305", "governance requires metadata the product lacks")
  public static let domainNotAllowed = DiagnosticCode("E0306", "the product's domain is not among the mesh's domains")
  public static let readsRetiredProduct = DiagnosticCode("E0307", "an input reads a retired product")
  public static let invalidMeshFile = DiagnosticCode("E0308", "mesh.yaml is missing a usable Mesh document")

  // MARK: E04xx schemas

  public static let schemaInvalidJSON = DiagnosticCode("E0401", "a schema file is not well-formed JSON")
  public static let schemaDuplicateKey = DiagnosticCode("E0402", "a JSON object in a schema has the same key twice")
  public static let schemaTooDeep = DiagnosticCode("E0403", "a schema is nested too deeply")
  public static let schemaUnknownType = DiagnosticCode("E0404", "a schema names a type that is not defined")
  public static let schemaNestedUnion = DiagnosticCode("E0405", "a union directly contains another union")
  public static let schemaDuplicateUnionBranch = DiagnosticCode("E0406", "a union has two branches of the same type")
  public static let schemaMissingAttribute = DiagnosticCode("E0407", "a schema object lacks a required attribute")
  public static let schemaInvalidName = DiagnosticCode("E0408", "a type, field or namespace name is invalid")
  public static let schemaDuplicateName = DiagnosticCode("E0409", "a named type is defined twice")
  public static let schemaDuplicateField = DiagnosticCode("E0410", "a record has two fields of the same name")
  public static let schemaInvalidDefault = DiagnosticCode("E0411", "a field's default does not match its type")
  public static let schemaInvalidSymbol = DiagnosticCode("E0412", "an enum symbol or enum default is invalid")
  public static let schemaInvalidAttribute = DiagnosticCode("E0413", "a schema attribute has the wrong kind of value")

  // MARK: E05xx compatibility

  public static let incompatibleType = DiagnosticCode("E0501", "a reader cannot read the writer's type")
  public static let fieldWithoutDefault = DiagnosticCode("E0502", "a field a reader needs has no default and no data")
  public static let missingEnumSymbol = DiagnosticCode("E0503", "a reader's enum lacks a symbol the writer may write")
  public static let fixedSizeMismatch = DiagnosticCode("E0504", "fixed types of different sizes")
  public static let nameMismatch = DiagnosticCode("E0505", "named types whose names and aliases do not match")
  public static let missingUnionBranch = DiagnosticCode("E0506", "a reader's union lacks a branch the writer may write")
  public static let decimalMismatch = DiagnosticCode("E0507", "decimals of different precision or scale")
  public static let removedPort = DiagnosticCode("E0508", "an output port of a published product was removed")

  // MARK: E07xx log

  public static let unknownTopic = DiagnosticCode("E0701", "the topic does not exist")
  public static let invalidLogName = DiagnosticCode("E0702", "a topic or consumer group name breaks the naming rules")
  public static let topicExists = DiagnosticCode("E0703", "a topic of that name already exists")
  public static let invalidTopicSetting = DiagnosticCode("E0706", "a topic setting is out of range or unknown")
  public static let invalidOffset = DiagnosticCode("E0707", "an offset is malformed or outside the partition")
  public static let unknownPartition = DiagnosticCode("E0708", "the topic has no partition of that number")
  public static let invalidTimestamp = DiagnosticCode(
    "E0709", "a time is neither ISO-8601 nor milliseconds since the epoch")
  public static let invalidInputLine = DiagnosticCode("E0710", "an input line is not valid JSON")
  public static let invalidEnvelope = DiagnosticCode("E0711", "an input record does not have the expected shape")
  public static let missingRecordKey = DiagnosticCode("E0712", "a record for a compacted topic has no key")
  public static let damagedLogData = DiagnosticCode("E0713", "data in the log directory is damaged")
  public static let logIOFailure = DiagnosticCode("E0714", "the log could not read or write its files")
  public static let topicLocked = DiagnosticCode("E0715", "another process is writing the topic")
  public static let conflictingOptions = DiagnosticCode(
    "E0716", "options that cannot be used together, or one missing another")
  public static let recordTooLarge = DiagnosticCode("E0717", "a record is larger than a batch may be")
  public static let unknownSubject = DiagnosticCode("E0718", "a schema registry subject does not exist")
  public static let unknownSchemaVersion = DiagnosticCode(
    "E0719", "a subject has no such version, or no schema has that id")
  public static let registryBusy = DiagnosticCode("E0720", "another process is registering a schema")
  public static let valueDoesNotFitSchema = DiagnosticCode(
    "E0721", "a produced value does not fit the subject's schema")

  // MARK: E06xx expressions

  public static let expressionSyntax = DiagnosticCode("E0601", "an expression is not well-formed")
  public static let unknownField = DiagnosticCode("E0602", "an expression names a field its input does not have")
  public static let unknownFunction = DiagnosticCode("E0603", "an expression calls a function the language lacks")
  public static let typeMismatch = DiagnosticCode("E0604", "an operator is applied to values of the wrong types")
  public static let invalidArguments = DiagnosticCode(
    "E0605", "a function gets the wrong number or types of arguments")
  public static let wallClockFunction = DiagnosticCode(
    "E0606", "an expression reads the clock or randomness, which makes outputs irreproducible")
  public static let misplacedAggregate = DiagnosticCode(
    "E0607", "an aggregate outside measures, a nested aggregate, or a field neither grouped nor aggregated")
  public static let invalidLiteral = DiagnosticCode("E0608", "a constant is malformed or out of range")
  public static let notBoolean = DiagnosticCode("E0609", "a condition is not a boolean")

  // MARK: E08xx planning

  public static let contractFieldMissing = DiagnosticCode(
    "E0801", "an output port's schema has a field the transforms do not produce")
  public static let contractFieldExtra = DiagnosticCode(
    "E0802", "the transforms produce a field the output port's schema lacks")
  public static let contractFieldType = DiagnosticCode(
    "E0803", "a produced field's type does not fit the output port's schema")
  public static let joinKey = DiagnosticCode(
    "E0804", "a join key is missing on one side or has different types on the two sides")
  public static let sharedIdentifierType = DiagnosticCode(
    "E0805", "a shared identifier has another type than mesh.yaml declares")
  public static let noEventTime = DiagnosticCode(
    "E0806", "a window or dedupe reads records that have no event time")
  public static let unknownColumn = DiagnosticCode(
    "E0807", "a key, groupBy or event time names a field the step does not produce")
  public static let unionMismatch = DiagnosticCode("E0808", "the inputs of a union have different fields")
  public static let piiUnmasked = DiagnosticCode(
    "E0809", "a PII field reaches an output port unmasked, without a grant that allows it in clear")
  public static let productCycle = DiagnosticCode("E0810", "products read each other's ports in a cycle")

  // MARK: E09xx data files

  public static let damagedDataFile = DiagnosticCode(
    "E0901", "a data file is damaged, truncated or not in the format it claims")
  public static let unknownFileFormat = DiagnosticCode(
    "E0902", "a file's format cannot be told from its name or contents, or meshc does not read it")

  // MARK: E10xx the runtime

  public static let runFailed = DiagnosticCode(
    "E1001", "a product's run stopped: an input or output failed, or a quality rule with onFail: fail")
  public static let productRunning = DiagnosticCode(
    "E1003", "another run of the product is using the data directory")

  // MARK: Wxxxx warnings

  public static let schemaInvalidLogicalType = DiagnosticCode("W0401", "a logical type is invalid and ignored")

  public static let notAManifest = DiagnosticCode("W0201", "a YAML file under products/ is not a data product")
  public static let inputMatchesNoFile = DiagnosticCode("W0202", "a file input's path matches no file yet")
  public static let readsDeprecatedProduct = DiagnosticCode("W0301", "an input reads a deprecated product")

  public static let topicAutoCreated = DiagnosticCode("W0701", "a missing topic was created with default settings")
  public static let committedOffsetReset = DiagnosticCode(
    "W0702", "a consumer group's committed offset is no longer in the log")
  public static let skippedDamage = DiagnosticCode(
    "W0703", "a reader stepped over damaged or lost records (--skip-damage)")
  public static let straySegmentFile = DiagnosticCode(
    "W0704", "a file named like a segment is not one of its partition's segments")

  public static let qualityWarning = DiagnosticCode("W1001", "records failed a quality rule with onFail: warn")
}

extension DiagnosticCode {
  /// Every code, sorted; the tests check that each one is triggered by some fixture.
  public static var catalog: [DiagnosticCode] {
    [
      fileUnreadable, noManifests, pathNotFound, gitFailure,
      wrongNodeKind, unknownKey, missingKey, invalidChoice, invalidIdentifier, duplicateName, unknownStep,
      transformCycle, invalidTimeSpan, invalidPercentage, unsupportedAPIVersion, unexpectedKind, invalidTransform,
      conflictingKeys, invalidValue, invalidGlob, unknownPort, invalidSize,
      duplicateProduct, unknownProduct, unknownProductPort, schemaFileMissing, missingRequiredMetadata,
      domainNotAllowed, readsRetiredProduct, invalidMeshFile, notAManifest, inputMatchesNoFile, readsDeprecatedProduct,
      schemaInvalidJSON, schemaDuplicateKey, schemaTooDeep, schemaUnknownType, schemaNestedUnion,
      schemaDuplicateUnionBranch, schemaMissingAttribute, schemaInvalidName, schemaDuplicateName, schemaDuplicateField,
      schemaInvalidDefault, schemaInvalidSymbol, schemaInvalidAttribute, schemaInvalidLogicalType,
      incompatibleType, fieldWithoutDefault, missingEnumSymbol, fixedSizeMismatch, nameMismatch, missingUnionBranch,
      decimalMismatch, removedPort,
      yamlSyntax, yamlInvalidUTF8, yamlTabIndentation, yamlAliasExpansionLimit, yamlUndefinedAlias,
      yamlDuplicateKey, yamlTooDeep, yamlInvalidTaggedValue, yamlInvalidMerge,
      unknownTopic, invalidLogName, topicExists, invalidTopicSetting,
      invalidOffset, unknownPartition, invalidTimestamp, invalidInputLine, invalidEnvelope, missingRecordKey,
      damagedLogData, logIOFailure, topicLocked, conflictingOptions, recordTooLarge, unknownSubject,
      unknownSchemaVersion, registryBusy, valueDoesNotFitSchema,
      topicAutoCreated, committedOffsetReset, skippedDamage, straySegmentFile,
      expressionSyntax, unknownField, unknownFunction, typeMismatch, invalidArguments, wallClockFunction,
      misplacedAggregate, invalidLiteral, notBoolean,
      contractFieldMissing, contractFieldExtra, contractFieldType, joinKey, sharedIdentifierType, noEventTime,
      unknownColumn, unionMismatch, piiUnmasked, productCycle, productNotFound,
      damagedDataFile, unknownFileFormat, runFailed, productRunning, qualityWarning,
    ].sorted()
  }

  /// Codes no longer reported, and what reports their finding now. Their numbers stay
  /// unused so that a script matching an old code never matches a different finding.
  public static let retired: [(id: String, replacedBy: DiagnosticCode)] = [
    ("E0704", invalidTimeSpan),
    ("E0705", invalidSize),
  ]
}
