namespace Switchyard.Identity;

[System.Text.Json.Serialization.JsonSerializable(typeof(string[]))]
internal sealed partial class IdentityJson : System.Text.Json.Serialization.JsonSerializerContext;
