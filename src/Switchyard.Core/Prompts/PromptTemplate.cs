using System.Text.RegularExpressions;
using HandlebarsDotNet;

namespace Switchyard.Prompts;

/// <summary>
/// One template string of a prompt version, compiled once. The syntax is Mustache's <c>{{variable}}</c>, what
/// Langfuse's SDKs compile with (HTML escaping off), rendered by Handlebars.Net, a superset of it; so a
/// template renders the same on the server and in a Langfuse client.
/// </summary>
internal sealed partial class PromptTemplate
{
    private static readonly IHandlebars s_handlebars = Handlebars.Create(new HandlebarsConfiguration { NoEscape = true, ThrowOnUnresolvedBindingExpression = false });

    private readonly HandlebarsTemplate<object, object> _render;

    private PromptTemplate(string text, HandlebarsTemplate<object, object> render, IReadOnlyList<string> variables)
    {
        Text = text;
        _render = render;
        Variables = variables;
    }

    public string Text { get; }

    /// <summary>The variables the template reads (<c>{{name}}</c>, and sections <c>{{#name}}</c>; not helpers), in order of first use.</summary>
    public IReadOnlyList<string> Variables { get; }

    /// <summary>The compiled template, or the parser's complaint in <paramref name="problem"/>.</summary>
    public static PromptTemplate? TryCompile(string text, out string? problem)
    {
        problem = UnbalancedSection(text);
        if (problem is not null)
        {
            return null;
        }

        try
        {
            var render = s_handlebars.Compile(text);

            // Handlebars.Net reports some template errors (an unclosed section) only when it first renders.
            render(new Dictionary<string, object?>());
            var names = Reference().Matches(text).Select(m => m.Groups[1].Value).Where(n => n is not ("this" or "else" or "if" or "unless" or "each" or "with" or "lookup" or "log"))
                .Distinct(StringComparer.Ordinal).ToList();
            return new PromptTemplate(text, render, names);
        }
        catch (HandlebarsException ex)
        {
            problem = ex.Message;
            return null;
        }
    }

    /// <summary>Sections must close in order, as Mustache (and so a Langfuse client) requires; Handlebars.Net lets an unclosed one pass.</summary>
    private static string? UnbalancedSection(string text)
    {
        var open = new Stack<string>();
        foreach (System.Text.RegularExpressions.Match tag in SectionTag().Matches(text))
        {
            var name = tag.Groups[2].Value;
            if (tag.Groups[1].Value != "/")
            {
                open.Push(name);
            }
            else if (open.Count == 0 || open.Pop() != name)
            {
                return $"'{{{{/{name}}}}}' closes a section that is not open.";
            }
        }

        return open.Count > 0 ? $"the section '{{{{#{open.Peek()}}}}}' is never closed." : null;
    }

    public string Render(IReadOnlyDictionary<string, object?> values) => _render(values);

    [GeneratedRegex(@"\{\{\{?\s*[#^]?\s*([A-Za-z_][A-Za-z0-9_\-]*)\s*\}?\}\}", RegexOptions.CultureInvariant)]
    private static partial Regex Reference();

    [GeneratedRegex(@"\{\{\s*([#^/])\s*([A-Za-z_][A-Za-z0-9_.\-]*)", RegexOptions.CultureInvariant)]
    private static partial Regex SectionTag();
}
