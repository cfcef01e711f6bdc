using System.Collections.Concurrent;
using ControlDropout.Web.Domain;

namespace ControlDropout.Web.Features.Visits;

/// <summary>
/// Wrong 确认码 per child and Beijing day (the code is the child's, so every session of the child shares the
/// budget), counted in this server's memory (a restart forgets them; one server serves a county). Four digits
/// are ten thousand guesses: after <see cref="Limit"/> wrong ones for a child in a day, the code is not tried
/// again that day — the family can still sign instead.
/// </summary>
public sealed class ConfirmationAttempts
{
    public const int Limit = 5;

    private readonly ConcurrentDictionary<(string County, StudentId Child, DateOnly Day), int> _wrong = new();

    public bool Exhausted(string county, StudentId child, DateOnly day) =>
        _wrong.TryGetValue((county, child, day), out var count) && count >= Limit;

    public void Wrong(string county, StudentId child, DateOnly day)
    {
        // Yesterday's counts no longer matter: drop them, so that the table stays small.
        foreach (var old in _wrong.Keys.Where(k => k.Day < day))
        {
            _wrong.TryRemove(old, out _);
        }
        _wrong.AddOrUpdate((county, child, day), 1, (_, count) => count + 1);
    }
}
