using System.Runtime.CompilerServices;
using System.Text.Json;
using Bittensor.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Bittensor.Api;

/// <summary>Read-only REST over the chain: clock, subnets, metagraphs, epochs, accounts, hotkeys, the audit.</summary>
public static class ChainApi
{
    public static IEndpointRouteBuilder MapChainApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("chain");
        api.MapGet("/chain", GetChain).WithName("GetChain").WithSummary("Chain id, block, total issuance, block emission and the next halving");
        api.MapGet("/chain/stats", GetStats).WithName("GetChainStats").WithSummary("Block production: blocks, epochs, block step p50/p99 (ms), blocks on time, paused");
        api.MapGet("/subnets", GetSubnets).WithName("GetSubnets").WithSummary("Every subnet");
        api.MapGet("/subnets/{netuid}", GetSubnet).WithName("GetSubnet").WithSummary("A subnet: owner, hyperparameters, pool and price, pending emission");
        api.MapGet("/subnets/{netuid}/quote", GetQuote).WithName("GetQuote")
            .WithSummary("What staking (side=buy, amount in rao of TAO) or unstaking (side=sell, amount in rao of alpha) would give now: amount out, fee, prices before and after, price impact");
        api.MapGet("/subnets/{netuid}/epochs", GetEpochs).WithName("GetEpochs").WithSummary("Recent epochs, newest first");
        api.MapGet("/subnets/{netuid}/epochs/{index}", GetEpoch).WithName("GetEpoch").WithSummary("One epoch's inputs and outputs, re-runnable with `bittensor epoch`");
        api.MapGet("/subnets/{netuid}/commits/{hotkey}", GetCommits).WithName("GetWeightCommits")
            .WithSummary("A hotkey's unrevealed weight commits (commit-reveal) with their reveal epochs, and the subnet's epoch clock");
        api.MapGet("/subnets/{netuid}/children/{hotkey}", GetChildkeys).WithName("GetChildkeys")
            .WithSummary("A hotkey's children and parents on a subnet (proportions in parts of u64::MAX), its pending children and its childkey take");
        api.MapGet("/accounts/{address}", GetAccount).WithName("GetAccount").WithSummary("Balance, next nonce and hotkeys of an address; ?block=N as of a retained past block");
        api.MapGet("/hotkeys/{address}", GetHotkey).WithName("GetHotkey").WithSummary("A hotkey's owner, registrations, stakes, take and axons; ?block=N as of a retained past block");
        api.MapGet("/chain/state-hash", GetStateHash).WithName("GetStateHash")
            .WithSummary("A SHA-256 over everything the chain holds (economies, rosters with weights and bonds, epoch summaries, accounts, hotkeys): equal on any two chains, live or simulated, that went through the same blocks and calls");
        api.MapGet("/audit", GetAudit).WithName("GetAudit").WithSummary("Conservation of TAO and alpha, to the rao");
        return app;
    }

    public static async Task<Ok<ChainDto>> GetChain(IGrainFactory grains)
    {
        var c = await grains.GetGrain<IChainGrain>(IChainGrain.Key).GetInfoAsync();
        return TypedResults.Ok(new ChainDto(c.ChainId, c.Block, c.TotalIssuance, c.BlockEmission, c.NextHalvingIssuance, c.Halvings,
            c.Subnets, c.NetworkLockCost, c.BlockTime.TotalSeconds, c.Faucet, c.GenesisReserve, c.GenesisHash, c.HistoryBlocks,
            c.WeightFee, c.FeesBurned));
    }

    public static async Task<Ok<ChainStats>> GetStats(IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<IChainGrain>(IChainGrain.Key).GetStatsAsync());

    public static async Task<Ok<SubnetDto[]>> GetSubnets(IGrainFactory grains)
    {
        var chain = grains.GetGrain<IChainGrain>(IChainGrain.Key);
        var netuids = await chain.GetSubnetsAsync();
        var infos = await Task.WhenAll(netuids.Select(n => chain.GetSubnetInfoAsync(n)));
        return TypedResults.Ok(infos.Where(i => i is not null).Select(i => SubnetDto.From(i!)).ToArray());
    }

    public static async Task<Results<Ok<SubnetDto>, ProblemHttpResult>> GetSubnet(ushort netuid, IGrainFactory grains)
    {
        var info = await grains.GetGrain<IChainGrain>(IChainGrain.Key).GetSubnetInfoAsync(netuid);
        return info is null ? SubnetNotFound(netuid) : TypedResults.Ok(SubnetDto.From(info));
    }

    /// <summary>
    /// A read-only quote against the subnet's pool as of the last stored block, computed by the same functions the staking
    /// calls apply (<see cref="Runtime.SwapQuote"/>). Bad input is a 400 naming the rule (InvalidSide, InvalidAmount); an unknown
    /// subnet a 404.
    /// </summary>
    public static async Task<Results<Ok<QuoteDto>, ProblemHttpResult>> GetQuote(ushort netuid, string? side, string? amount, IGrainFactory grains)
    {
        if (side is not ("buy" or "sell"))
            return TypedResults.Problem(statusCode: 400, title: "side must be 'buy' (stake TAO) or 'sell' (unstake alpha)", type: "InvalidSide");
        if (!ulong.TryParse(amount, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out ulong rao) || rao == 0)
            return TypedResults.Problem(statusCode: 400, title: "amount must be a positive integer (rao)", type: Runtime.Codes.InvalidAmount);
        var info = await grains.GetGrain<IChainGrain>(IChainGrain.Key).GetSubnetInfoAsync(netuid);
        if (info is null) return SubnetNotFound(netuid);
        var q = Runtime.SwapQuote.For(info.PoolTao, info.PoolAlpha, side == "buy", rao, info.QuoteWeight);
        return TypedResults.Ok(new QuoteDto(netuid, side, q.AmountIn, q.Fee, q.AmountOut, q.PriceBefore, q.PriceAfter, q.PriceImpact));
    }

    public static async Task<Results<Ok<EpochSummary[]>, ProblemHttpResult>> GetEpochs(ushort netuid, IGrainFactory grains, int? limit)
    {
        int take = limit ?? 20;
        if (take is < 1 or > 100) return TypedResults.Problem(statusCode: 400, title: "limit must be in 1..100", type: "InvalidLimit");
        var subnet = grains.GetGrain<ISubnetGrain>(netuid);
        if (await grains.GetGrain<IChainGrain>(IChainGrain.Key).GetSubnetInfoAsync(netuid) is null) return SubnetNotFound(netuid);
        return TypedResults.Ok((await subnet.GetEpochsAsync(take)).ToArray());
    }

    public static async Task<Results<Ok<EpochDto>, ProblemHttpResult>> GetEpoch(ushort netuid, ulong index, IGrainFactory grains)
    {
        var record = await grains.GetGrain<IEpochRecordGrain>(IEpochRecordGrain.KeyOf(netuid, index)).GetAsync();
        if (record is null)
            return TypedResults.Problem(statusCode: 404, title: $"subnet {netuid} has no recorded epoch {index} (the last 100 are kept)", type: "EpochNotFound");
        using var inputs = JsonDocument.Parse(record.InputsJson);
        using var outputs = JsonDocument.Parse(record.OutputsJson);
        return TypedResults.Ok(new EpochDto(record.Index, record.Block, inputs.RootElement.Clone(), outputs.RootElement.Clone()));
    }

    public static async Task<Results<Ok<WeightCommitsDto>, ProblemHttpResult>> GetCommits(ushort netuid, string hotkey, IGrainFactory grains)
    {
        if (!ValidAddress(hotkey)) return InvalidAddress(hotkey);
        var chain = grains.GetGrain<IChainGrain>(IChainGrain.Key);
        var info = await chain.GetSubnetInfoAsync(netuid);
        if (info is null) return SubnetNotFound(netuid);
        var commits = await grains.GetGrain<ISubnetGrain>(netuid).GetCommitsAsync(hotkey);
        var h = info.Hyperparameters;
        ulong block = (await chain.GetInfoAsync()).Block;
        return TypedResults.Ok(new WeightCommitsDto(netuid, hotkey, h.CommitRevealWeightsEnabled, h.CommitRevealPeriod, block, info.EpochIndex,
            info.NextEpochBlock, h.Tempo, [.. commits.Select(c => new WeightCommitDto(c.Hash, c.Epoch, c.Block,
                CommitReveal.RevealEpoch(c.Epoch, h.CommitRevealPeriod), CommitReveal.IsExpired(c.Epoch, info.EpochIndex, h.CommitRevealPeriod)))]));
    }

    public static async Task<Results<Ok<ChildkeysView>, ProblemHttpResult>> GetChildkeys(ushort netuid, string hotkey, IGrainFactory grains)
    {
        if (!ValidAddress(hotkey)) return InvalidAddress(hotkey);
        ulong block = (await grains.GetGrain<IChainGrain>(IChainGrain.Key).GetInfoAsync()).Block;
        return await grains.GetGrain<ISubnetGrain>(netuid).GetChildkeysAsync(hotkey, block) is { } view ? TypedResults.Ok(view) : SubnetNotFound(netuid);
    }

    public static async Task<Results<Ok<AccountDto>, ProblemHttpResult>> GetAccount(string address, IGrainFactory grains, string? block)
    {
        if (!ValidAddress(address)) return InvalidAddress(address);
        var grain = grains.GetGrain<IAccountGrain>(address);
        var (a, problem) = await MetagraphApi.ReadAsync(grains, block, grain.GetAsync, grain.GetAtAsync, $"account {address}");
        if (a is null) return problem!;
        return TypedResults.Ok(new AccountDto(a.Address, a.Balance, a.NextNonce, a.Hotkeys, a.RootClaimType.ToString(), a.RootHotkeys.IsDefault ? [] : a.RootHotkeys));
    }

    public static async Task<Results<Ok<HotkeyDto>, ProblemHttpResult>> GetHotkey(string address, IGrainFactory grains, string? block)
    {
        if (!ValidAddress(address)) return InvalidAddress(address);
        var grain = grains.GetGrain<IHotkeyGrain>(address);
        var (h, problem) = await MetagraphApi.ReadAsync(grains, block, grain.GetAsync, grain.GetAtAsync, $"hotkey {address}");
        if (h is null) return problem!;
        return TypedResults.Ok(new HotkeyDto(h.Address, h.Owner, h.Take,
            h.Registrations.OrderBy(r => r.Key).Select(r => new RegistrationDto(r.Key, r.Value)).ToList(),
            h.Stakes.Select(s => new StakeDto(s.Netuid, s.Coldkey, s.Alpha)).ToList(),
            h.Axons.ToDictionary(a => a.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), a => AxonDto.From(a.Value)!),
            h.StakeIn(RootNetwork.Netuid), [.. (h.RootClaimable.IsDefault ? [] : h.RootClaimable).Select(c => new RootClaimableDto(c.Netuid, c.Coldkey, c.Alpha))]));
    }

    public static async Task<Ok<StateHashDto>> GetStateHash(IGrainFactory grains)
    {
        var chain = grains.GetGrain<IChainGrain>(IChainGrain.Key);
        string hash = await chain.StateHashAsync();
        return TypedResults.Ok(new StateHashDto((await chain.GetInfoAsync()).Block, hash));
    }

    public static async Task<Ok<AuditReport>> GetAudit(IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<IChainGrain>(IChainGrain.Key).AuditAsync());

    private static bool ValidAddress(string address) => Addresses.IsWellFormed(address);

    internal static ProblemHttpResult SubnetNotFound(ushort netuid) =>
        TypedResults.Problem(statusCode: 404, title: $"no subnet has netuid {netuid}", type: "SubnetNotFound");

    private static ProblemHttpResult InvalidAddress(string address) =>
        TypedResults.Problem(statusCode: 400, title: "not a valid address", detail: $"'{address}' is not an SS58 address", type: "InvalidAddress");
}
