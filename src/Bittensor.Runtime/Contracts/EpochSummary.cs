namespace Bittensor;

/// <summary>What one epoch distributed (rao of alpha).</summary>
[GenerateSerializer, Immutable, Alias("Bittensor.EpochSummary")]
public sealed record EpochSummary
{
    [Id(0)] public required ulong Index { get; init; }
    [Id(1)] public required ulong Block { get; init; }
    [Id(2)] public required ulong RaoEmission { get; init; }
    [Id(3)] public required ulong ServerEmission { get; init; }
    [Id(4)] public required ulong ValidatorEmission { get; init; }
    [Id(5)] public required ulong OwnerCut { get; init; }
    [Id(6)] public required ulong Burned { get; init; }
    [Id(7)] public required ulong Carried { get; init; }
    /// <summary>Root dividends paid (validators' take staked as alpha, the rest made claimable by their root stakers).</summary>
    [Id(8)] public ulong RootEmission { get; init; }

    /// <summary>The members as the compiler would print them, <see cref="RootEmission"/> only when not 0 (so an epoch without root prints, and hashes, as before it existed).</summary>
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("Index = ").Append(Index).Append(", Block = ").Append(Block).Append(", RaoEmission = ").Append(RaoEmission)
            .Append(", ServerEmission = ").Append(ServerEmission).Append(", ValidatorEmission = ").Append(ValidatorEmission)
            .Append(", OwnerCut = ").Append(OwnerCut).Append(", Burned = ").Append(Burned).Append(", Carried = ").Append(Carried);
        if (RootEmission != 0) builder.Append(", RootEmission = ").Append(RootEmission);
        return true;
    }
}
