namespace Bittensor.Consensus;

/// <summary>
/// TAO (and per-subnet alpha) block emission with the Bitcoin-like halving
/// (<c>get_block_emission_for_issuance</c>, spec §4).
/// </summary>
public static class BlockEmission
{
    /// <summary>Total supply, rao (21 M TAO).</summary>
    public const ulong TotalSupply = 21_000_000_000_000_000;

    /// <summary>Emission per block before the first halving, rao (1 TAO).</summary>
    public const ulong DefaultBlockEmission = 1_000_000_000;

    /// <summary>
    /// Rao minted per block at <paramref name="issuance"/> rao: floor(1 TAO / 2^k) with
    /// k = max{k : issuance ≥ 21e15·(1 − 2^−k)}, and 0 once issuance reaches the total supply.
    /// </summary>
    /// <remarks>
    /// The chain evaluates <c>floor(log2(1/(1 − issuance/(2·10.5e15))))</c> in I96F32; the spec verifies that this
    /// agrees with the exact integer rule used here at every integer-rao halving threshold.
    /// </remarks>
    public static ulong ForIssuance(ulong issuance)
    {
        if (issuance >= TotalSupply) return 0;
        int k = Halvings(issuance);
        return k >= 64 ? 0 : DefaultBlockEmission >> k;
    }

    /// <summary>Number of halvings that have happened at <paramref name="issuance"/>.</summary>
    public static int Halvings(ulong issuance)
    {
        if (issuance >= TotalSupply) return int.MaxValue;
        // issuance ≥ S·(1 − 2^−k)  ⇔  (S − issuance)·2^k ≤ S.
        UInt128 remaining = TotalSupply - issuance;
        int k = 0;
        while (k < 120 && (remaining << (k + 1)) <= TotalSupply) k++;
        return k;
    }

    /// <summary>The smallest issuance (rao) at which the next halving has happened: S − floor(S / 2^(k+1)).</summary>
    public static ulong NextHalvingIssuance(ulong issuance)
    {
        if (issuance >= TotalSupply) return TotalSupply;
        int k = Halvings(issuance) + 1;
        return k >= 64 ? TotalSupply : TotalSupply - (TotalSupply >> k);
    }
}
