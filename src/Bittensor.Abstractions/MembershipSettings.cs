namespace Bittensor;

/// <summary>
/// Failure detection of a multi-silo cluster (section <c>Orleans:Membership</c>) and how often clients refresh their
/// gateway list. The defaults detect a dead silo in about <see cref="ProbeTimeout"/> × <see cref="NumMissedProbesLimit"/>
/// (2 s) instead of Orleans' 15 s; the price is that a silo that stalls that long (a long GC pause, a starved CPU) is
/// suspected, and with <see cref="NumVotesForDeathDeclaration"/> other silos agreeing, declared dead and restarted.
/// </summary>
public sealed class MembershipSettings
{
    /// <summary>Period and timeout of the liveness probes silos send each other (Orleans' default: 5 s).</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Missed probes after which a silo suspects another (Orleans' default: 3).</summary>
    public int NumMissedProbesLimit { get; set; } = 2;

    /// <summary>Suspicions needed to declare a silo dead (Orleans' default: 2; capped by the number of live silos).</summary>
    public int NumVotesForDeathDeclaration { get; set; } = 2;

    /// <summary>How often each silo re-reads the membership table besides gossip (Orleans' default: 60 s).</summary>
    public TimeSpan TableRefreshTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often clients re-read the gateway list (Orleans' default: 60 s).</summary>
    public TimeSpan GatewayListRefreshPeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Every rule the settings break, each naming its setting.</summary>
    public IEnumerable<string> Validate()
    {
        const string p = ClusterSettings.Section + ":Membership:";
        if (ProbeTimeout < TimeSpan.FromMilliseconds(200) || ProbeTimeout > TimeSpan.FromMinutes(1))
            yield return $"{p}ProbeTimeout {ProbeTimeout} must be between 200 ms and 1 minute";
        if (NumMissedProbesLimit is < 1 or > 10) yield return $"{p}NumMissedProbesLimit {NumMissedProbesLimit} must be 1-10";
        if (NumVotesForDeathDeclaration is < 1 or > 10) yield return $"{p}NumVotesForDeathDeclaration {NumVotesForDeathDeclaration} must be 1-10";
        if (TableRefreshTimeout < TimeSpan.FromSeconds(1)) yield return $"{p}TableRefreshTimeout {TableRefreshTimeout} must be at least 1 s";
        if (GatewayListRefreshPeriod < TimeSpan.FromSeconds(1)) yield return $"{p}GatewayListRefreshPeriod {GatewayListRefreshPeriod} must be at least 1 s";
    }
}
