namespace Bittensor;

/// <summary>Units: 1 TAO (and 1 alpha) = 10^9 rao.</summary>
public static class Tao
{
    /// <summary>Rao per TAO.</summary>
    public const ulong Rao = 1_000_000_000;

    /// <summary>Smallest stake movement (DefaultMinStake): 0.002 TAO.</summary>
    public const ulong MinStake = 2_000_000;
}
