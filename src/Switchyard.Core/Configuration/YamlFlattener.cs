using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Switchyard.Configuration;

/// <summary>
/// Turns a YAML document into configuration key/value pairs (<c>model_groups:gpt-4o:deployments:0:model</c>)
/// so environment variables can override any key the same way.
/// </summary>
internal static class YamlFlattener
{
    public static Dictionary<string, string?> Flatten(string yaml, string sourceName)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException ex)
        {
            throw new ConfigurationException([$"{sourceName}: YAML syntax error at line {ex.Start.Line}, column {ex.Start.Column}: {ex.InnerException?.Message ?? ex.Message}"]);
        }

        var result = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (stream.Documents.Count == 0)
        {
            return result;
        }

        var root = stream.Documents[0].RootNode;
        if (root is YamlScalarNode { Value: null or "" or "~" or "null" })
        {
            return result;
        }

        if (root is not YamlMappingNode)
        {
            throw new ConfigurationException([$"{sourceName}: the top level must be a mapping of keys (server, auth, recording, model_groups)."]);
        }

        Visit(root, "", result);
        return result;
    }

    private static void Visit(YamlNode node, string path, Dictionary<string, string?> result)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                foreach (var (key, value) in mapping.Children)
                {
                    var name = ((YamlScalarNode)key).Value ?? "";
                    Visit(value, path.Length == 0 ? name : $"{path}:{name}", result);
                }

                if (mapping.Children.Count == 0)
                {
                    result[path] = "";
                }

                break;
            case YamlSequenceNode sequence:
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    Visit(sequence.Children[i], $"{path}:{i}", result);
                }

                break;
            case YamlScalarNode scalar:
                result[path] = scalar.Style == ScalarStyle.Plain && scalar.Value is "~" or "null" ? null : scalar.Value;
                break;
        }
    }
}
