using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bittensor.Api;

/// <summary>Request limits on the write routes (section <c>Api:RateLimit</c>); 0 turns a limit off.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "Api:RateLimit";

    /// <summary>Submissions and preflights per client IP address per <see cref="Window"/>.</summary>
    public int PerIp { get; set; }

    /// <summary>Submissions and preflights per signer per <see cref="Window"/>.</summary>
    public int PerSigner { get; set; }

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// ASP.NET Core's rate limiter on <c>POST /api/transactions</c> and its preflight: per client IP (a policy on the route
/// group) and per signer (checked once the body is read). A refusal is 429 problem+json <c>RateLimited</c> with Retry-After.
/// </summary>
public static class RateLimits
{
    public const string WritePolicy = "writes";

    public const string Code = "RateLimited";

    public static IServiceCollection AddBittensorRateLimits(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section);
        services.AddSingleton(sp => new SignerLimiter(sp.GetRequiredService<IOptions<RateLimitOptions>>().Value));
        services.AddRateLimiter(o =>
        {
            o.AddPolicy(WritePolicy, context =>
            {
                var limits = context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
                return limits.PerIp <= 0 ? RateLimitPartition.GetNoLimiter("") : RateLimitPartition.GetFixedWindowLimiter(
                    context.Connection.RemoteIpAddress?.ToString() ?? "", _ => Window(limits.PerIp, limits.Window));
            });
            o.OnRejected = async (rejected, token) =>
            {
                var limits = rejected.HttpContext.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
                await Refusal(limits, "this address").ExecuteAsync(rejected.HttpContext);
            };
        });
        return services;
    }

    internal static FixedWindowRateLimiterOptions Window(int permits, TimeSpan window) =>
        new() { PermitLimit = permits, Window = window, QueueLimit = 0, AutoReplenishment = true };

    internal static IResult Refusal(RateLimitOptions limits, string who)
    {
        var extensions = new Dictionary<string, object?> { ["code"] = Code };
        return TypedResults.Problem(statusCode: 429, title: Code, type: Code, extensions: extensions,
            detail: $"too many transactions and preflights from {who}; at most {(who == "this signer" ? limits.PerSigner : limits.PerIp)} per {limits.Window}");
    }
}

/// <summary>The per-signer limiter (one fixed window per SS58 signer).</summary>
public sealed class SignerLimiter(RateLimitOptions limits) : IDisposable
{
    private readonly PartitionedRateLimiter<string>? _limiter = limits.PerSigner <= 0 ? null
        : PartitionedRateLimiter.Create<string, string>(signer => RateLimitPartition.GetFixedWindowLimiter(signer, _ => RateLimits.Window(limits.PerSigner, limits.Window)));

    /// <summary>Null when <paramref name="signer"/> may go on; else the 429 to answer.</summary>
    public IResult? Check(string signer)
    {
        if (_limiter is null) return null;
        using var lease = _limiter.AttemptAcquire(signer);
        return lease.IsAcquired ? null : RateLimits.Refusal(limits, "this signer");
    }

    public void Dispose() => _limiter?.Dispose();
}
