using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace ControlDropout.Web.Infrastructure;

/// <summary>
/// The service's logs: the simple console in Development; everywhere else one JSON object per line on the
/// console, with the request's scopes (request id, trace and span ids), and — when <c>Logging:File:Path</c> is
/// set (the test run does) — the same lines appended to that file.
/// Every line is written by <see cref="LogLine"/>, which keeps what the built-in JSON console would leak: an
/// exception is written as its type only (a message may carry a child's name or a typed value), and a feed
/// token in a path (ASP.NET Core puts the raw path into every request's scope) is redacted.
/// </summary>
public static class Logs
{
    public const string FilePathSetting = "Logging:File:Path";

    public static WebApplicationBuilder AddLogs(this WebApplicationBuilder builder)
    {
        builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        if (!builder.Environment.IsDevelopment())
        {
            builder.Logging.AddConsoleFormatter<JsonLinesConsole, ConsoleFormatterOptions>(o => o.IncludeScopes = true);
            builder.Logging.AddConsole(o => o.FormatterName = JsonLinesConsole.FormatterName);
        }
        if (builder.Configuration[FilePathSetting] is { Length: > 0 } path)
        {
            builder.Logging.AddProvider(new JsonFileLogs(Path.GetFullPath(path)));
        }
        return builder;
    }
}

/// <summary>One log entry as one JSON object, the same on the console and in the file.</summary>
internal static class LogLine
{
    // CJK stays readable (and greppable): the default encoder would write 张 as \u5F20.
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private const string OriginalFormat = "{OriginalFormat}";

    public static string Write(DateTimeOffset at, LogLevel level, string category, EventId eventId, string message, Exception? exception, IExternalScopeProvider? scopes)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            json.WriteString("time", at.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteString("level", level.ToString());
            json.WriteString("category", category);
            if (eventId.Id != 0)
            {
                json.WriteNumber("eventId", eventId.Id);
            }
            json.WriteString("message", Telemetry.RedactPath(message));
            if (exception is not null)
            {
                // The types down the chain, never a message: which failure, not whose data.
                var types = new List<string>();
                for (var e = exception; e is not null; e = e.InnerException)
                {
                    types.Add(e.GetType().FullName ?? e.GetType().Name);
                }
                json.WriteString("exception", string.Join(" <- ", types));
            }
            if (scopes is not null)
            {
                json.WriteStartObject("scopes");
                var others = new List<string>();
                scopes.ForEachScope((scope, state) =>
                {
                    if (scope is IEnumerable<KeyValuePair<string, object?>> pairs)
                    {
                        foreach (var (key, value) in pairs)
                        {
                            if (key != OriginalFormat)
                            {
                                state.WriteString(key, Telemetry.RedactPath(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? ""));
                            }
                        }
                    }
                    else if (scope is not null)
                    {
                        others.Add(Telemetry.RedactPath(Convert.ToString(scope, System.Globalization.CultureInfo.InvariantCulture) ?? ""));
                    }
                }, json);
                if (others.Count > 0)
                {
                    json.WriteStartArray("other");
                    others.ForEach(json.WriteStringValue);
                    json.WriteEndArray();
                }
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}

/// <summary>The console's JSON lines (outside Development).</summary>
internal sealed class JsonLinesConsole() : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "controldropout-json";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (string.IsNullOrEmpty(message) && logEntry.Exception is null)
        {
            return;
        }
        textWriter.WriteLine(LogLine.Write(TimeProvider.System.GetUtcNow(), logEntry.LogLevel, logEntry.Category, logEntry.EventId, message, logEntry.Exception, scopeProvider));
    }
}

/// <summary>
/// JSON lines appended to a file, Information and up (within the configured levels). Every host of a
/// test run may write to the same file at once: lines are appended whole, under one process-wide lock.
/// </summary>
[ProviderAlias("File")]
internal sealed class JsonFileLogs(string path) : ILoggerProvider, ISupportExternalScope
{
    private static readonly Lock Writing = new();
    private static readonly UTF8Encoding NoByteOrderMark = new(encoderShouldEmitUTF8Identifier: false);

    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public ILogger CreateLogger(string categoryName) => new FileLogger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
        // Nothing held open: each line opens, appends and closes, so that other hosts and processes may append too.
    }

    private void Append(string line)
    {
        lock (Writing)
        {
            File.AppendAllText(path, line + "\n", NoByteOrderMark);
        }
    }

    private sealed class FileLogger(JsonFileLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel is >= LogLevel.Information and < LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }
            owner.Append(LogLine.Write(TimeProvider.System.GetUtcNow(), logLevel, category, eventId, formatter(state, exception), exception, owner._scopes));
        }
    }
}
