/// Each command of the CLI as a library function; the `meshc` executable only parses
/// arguments, calls these and renders what they return.
public enum MeshDriver {}
