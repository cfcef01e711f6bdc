using System.Net;
using Microsoft.Extensions.Caching.Memory;

namespace ControlDropout.Web.Features.Auth;

/// <summary>
/// Slows password guessing without a lock-out that a stranger could trigger (ASVS 2.2.1). Failed
/// sign-ins are counted per user name from one address and per address; after a few free failures
/// each further one makes that key wait twice as long as the one before (capped), and an attempt that
/// comes before its wait is over is refused with 429 and Retry-After, never slept on. The owner at
/// another address is never slowed by a stranger's guesses. A failure is forgotten
/// <see cref="ForgetAfter"/> after the last one. Unknown user names count exactly like known ones.
/// </summary>
/// <remarks>
/// The per-address fixed window (<c>Access:LoginAttemptsPerMinute</c>, <see cref="Infrastructure.ApiSetup.LoginRateLimit"/>)
/// stays in front as a flood cap on attempts of any outcome; this throttle counts failures only.
/// Counters live in this instance's memory: several instances each slow guessing on their own.
/// </remarks>
public sealed class LoginThrottle : IDisposable
{
    /// <summary>Failures of one user name from one address before the first wait.</summary>
    public const int FreeFailuresPerUser = 3;

    /// <summary>Failures from one address (any user names: a school's desks share one) before the first wait.</summary>
    public const int DefaultFreeFailuresPerAddress = 20;

    public static readonly TimeSpan FirstWait = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan LongestWait = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan ForgetAfter = TimeSpan.FromHours(1);

    /// <summary>The <c>Retry-After</c> header's whole seconds for a wait (never 0: "now" would invite a spin).</summary>
    public static string RetryAfterSeconds(TimeSpan wait) =>
        Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private readonly MemoryCache _counters = new(new MemoryCacheOptions { SizeLimit = 200_000 });
    private readonly TimeProvider _clock;
    private readonly int _freePerAddress;

    public LoginThrottle(TimeProvider clock, IConfiguration configuration)
    {
        _clock = clock;
        _freePerAddress = configuration.GetValue("Access:FreeFailuresPerAddress", DefaultFreeFailuresPerAddress);
    }

    private sealed class Counter
    {
        public int Failures;
        public DateTimeOffset Last;
        public DateTimeOffset NotBefore;
    }

    private static string AddressOf(IPAddress? from) => from?.ToString() ?? "unknown";

    private static IEnumerable<(string Key, int Free)> Keys(string userName, IPAddress? from, int freePerAddress)
    {
        var address = AddressOf(from);
        yield return ($"user:{userName.Trim().ToUpperInvariant()}|{address}", FreeFailuresPerUser);
        yield return ($"address:{address}", freePerAddress);
    }

    /// <summary>How long this attempt must still wait; zero when it may be checked now.</summary>
    public TimeSpan WaitFor(string userName, IPAddress? from)
    {
        var now = _clock.GetUtcNow();
        var wait = TimeSpan.Zero;
        foreach (var (key, _) in Keys(userName, from, _freePerAddress))
        {
            if (_counters.TryGetValue(key, out Counter? counter))
            {
                lock (counter!)
                {
                    if (now - counter.Last < ForgetAfter && counter.NotBefore - now > wait)
                    {
                        wait = counter.NotBefore - now;
                    }
                }
            }
        }
        return wait;
    }

    public void Failed(string userName, IPAddress? from)
    {
        var now = _clock.GetUtcNow();
        foreach (var (key, free) in Keys(userName, from, _freePerAddress))
        {
            var counter = _counters.GetOrCreate(key, entry =>
            {
                entry.Size = 1;
                entry.SlidingExpiration = ForgetAfter;
                return new Counter();
            })!;
            lock (counter)
            {
                if (now - counter.Last >= ForgetAfter)
                {
                    counter.Failures = 0;
                }
                counter.Failures++;
                counter.Last = now;
                counter.NotBefore = now + Wait(counter.Failures - free);
            }
        }
    }

    /// <summary>A success forgets this user's failures from this address; the address's own count stays.</summary>
    public void Succeeded(string userName, IPAddress? from) =>
        _counters.Remove(Keys(userName, from, _freePerAddress).First().Key);

    /// <summary>Zero for the free failures, then 1 s, 2 s, 4 s … up to <see cref="LongestWait"/>.</summary>
    public static TimeSpan Wait(int beyondFree) => beyondFree <= 0
        ? TimeSpan.Zero
        : TimeSpan.FromTicks(Math.Min(LongestWait.Ticks, FirstWait.Ticks << Math.Min(beyondFree - 1, 20)));

    public void Dispose() => _counters.Dispose();
}
