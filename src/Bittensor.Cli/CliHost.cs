using Spectre.Console;

namespace Bittensor.Cli;

/// <summary>
/// What one run of the command line touches besides its arguments: standard output and error (plain text and JSON,
/// written as they are), a console for tables on standard output, a terminal for prompts, confirmations and the
/// spinner (none when input or output is redirected), the environment, and the HTTP handler of network verbs.
/// </summary>
public sealed class CliHost
{
    /// <summary>Columns of a table written to a file or a pipe: wide enough that no row wraps.</summary>
    private const int RedirectedWidth = 400;

    public required TextWriter Out { get; init; }

    public required TextWriter Error { get; init; }

    /// <summary>Renders tables on <see cref="Out"/>; without colour or escape codes unless standard output is a terminal.</summary>
    public required IAnsiConsole Tables { get; init; }

    /// <summary>Asks for passwords and confirmations and shows the spinner; null when nobody is there to answer.</summary>
    public IAnsiConsole? Terminal { get; init; }

    /// <summary>Reads an environment variable.</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>The HTTP handler network verbs use (a test server's); null for a real network.</summary>
    public HttpMessageHandler? Handler { get; init; }

    /// <summary>This process's console: rich output and prompts where standard input, output and error are terminals.</summary>
    public static CliHost ForProcess()
    {
        bool terminal = !Console.IsOutputRedirected;
        bool interactive = terminal && !Console.IsInputRedirected && !Console.IsErrorRedirected;
        return new CliHost
        {
            Out = Console.Out,
            Error = Console.Error,
            Tables = TablesOn(Console.Out, terminal),
            Terminal = interactive ? AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) }) : null,
        };
    }

    /// <summary>Captured output (tests, tools): plain tables, no prompts, no spinner.</summary>
    public static CliHost Captured(TextWriter stdout, TextWriter stderr, HttpMessageHandler? handler = null) => new()
    {
        Out = stdout,
        Error = stderr,
        Tables = TablesOn(stdout, terminal: false),
        Handler = handler,
    };

    /// <summary>A console for tables on <paramref name="writer"/>: detected colours on a terminal; none, and no width limit, otherwise.</summary>
    public static IAnsiConsole TablesOn(TextWriter writer, bool terminal)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        if (!terminal) console.Profile.Width = RedirectedWidth;
        return console;
    }
}
