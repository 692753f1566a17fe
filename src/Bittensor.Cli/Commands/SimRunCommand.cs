using System.Globalization;
using System.Text;
using System.Text.Json;
using Bittensor.Consensus.Cases;
using Bittensor.Runtime.Simulation;

namespace Bittensor.Cli.Commands;

/// <summary>
/// <c>sim run --scenario FILE [--output DIR] [--arithmetic exact|fast] [--seed S]</c>: runs a <c>bittensor-scenario/1</c>
/// document on the runtime in this process and writes <c>epochs.csv</c> (per epoch, per UID), <c>subnets.csv</c> (per
/// epoch, per subnet), <c>agents.csv</c> and <c>summary.json</c> (per agent: alpha staked at the start and the end,
/// alpha earned, TAO balance, worth earned), <c>actions.csv</c> (the agents' extrinsics other than weights, and every
/// refusal), <c>epoch-cases.json</c> and <c>epoch-results.json</c> (every epoch's inputs as <c>yuma-epoch-cases/1</c>
/// and its outputs as <c>yuma-epoch-results/1</c>: <c>epoch --cases</c> re-runs them) and <c>charts/*.png|svg</c> into
/// the output folder (default <c>sim-output</c>).
/// </summary>
internal static class SimRunCommand
{
    public static readonly string[] Options = ["scenario", "output", "arithmetic", "seed"];

    /// <summary>Agents in summary.json: their record's properties in snake_case (agent, netuid, stake_start, alpha_earned, …).</summary>
    private static readonly JsonSerializerOptions SnakeCase = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static async Task<int> RunAsync(VerbOptions args, TextWriter stdout, TextWriter stderr)
    {
        string path = args.Require("scenario");
        var arithmetic = args.Arithmetic();
        int? seed = args.Get("seed") is null ? null : args.Int("seed", 0, 0, int.MaxValue);
        string output = args.Get("output") ?? "sim-output";
        using var doc = Output.ReadJson(path, "sim run");
        Scenario scenario;
        ScenarioRun run;
        try
        {
            scenario = Scenario.Read(doc.RootElement);
            run = await ScenarioRun.BuildAsync(scenario, arithmetic, seed, recordCases: true);
        }
        catch (ScenarioFormatException e)
        {
            throw new UsageException($"sim run: {path}: {e.Message}");
        }
        await stderr.WriteLineAsync($"sim run: scenario '{scenario.Name}', {scenario.Subnets.Length} subnets, {scenario.Blocks} blocks, {arithmetic.ToString().ToLowerInvariant()} epochs");
        await run.RunAsync();

        Directory.CreateDirectory(output);
        var inv = CultureInfo.InvariantCulture;
        await WriteCsvAsync(Path.Combine(output, "epochs.csv"),
            "block,netuid,uid,agent,role,stake,consensus,incentive,dividends,validator_trust,emission,validator_permit",
            run.Epochs.Select(r => string.Join(',', r.Block, r.Netuid, r.Uid, Csv(r.Agent), r.Role, r.Stake, r.Consensus, r.Incentive,
                r.Dividends, r.ValidatorTrust, r.Emission, r.ValidatorPermit ? "true" : "false")));
        await WriteCsvAsync(Path.Combine(output, "subnets.csv"),
            "block,netuid,subnet,price,moving_price,pool_tao,pool_alpha,alpha_issued,rao_emission,server_emission,validator_emission,owner_cut",
            run.SubnetEpochs.Select(r => string.Join(',', r.Block, r.Netuid, Csv(r.Subnet), r.Price.ToString("R", inv), r.MovingPrice.ToString("R", inv),
                r.PoolTao, r.PoolAlpha, r.AlphaIssued, r.RaoEmission, r.ServerEmission, r.ValidatorEmission, r.OwnerCut)));
        var agents = run.Results();
        await WriteCsvAsync(Path.Combine(output, "agents.csv"),
            "agent,subnet,netuid,uid,role,strategy,hotkey,coldkey,stake_start,stake_end,alpha_earned,tao_balance,value_start,value_end,value_earned",
            agents.Select(a => string.Join(',', Csv(a.Agent), Csv(a.Subnet), a.Netuid, a.Uid, a.Role, a.Strategy, a.Hotkey, a.Coldkey,
                a.StakeStart, a.StakeEnd, a.AlphaEarned, a.TaoBalance, a.ValueStart, a.ValueEnd, a.ValueEarned)));
        await WriteCsvAsync(Path.Combine(output, "actions.csv"), "block,agent,action,ok,code,message",
            run.Actions.Select(r => string.Join(',', r.Block, Csv(r.Agent), Csv(r.Action), r.Ok ? "true" : "false", r.Code ?? "", Csv(r.Message ?? ""))));
        await Output.WriteJsonAsync(Path.Combine(output, "summary.json"), stdout, w => Summary(w, scenario, run, arithmetic.ToString().ToLowerInvariant(), agents));
        await Output.WriteJsonAsync(Path.Combine(output, "epoch-cases.json"), stdout, w => WriteCases(w, run.Cases));
        await Output.WriteJsonAsync(Path.Combine(output, "epoch-results.json"), stdout,
            w => EpochResultJson.WriteDocument(w, arithmetic, run.Cases.Select(c => new CaseRun(c.Name, [new StepRun(c.Input.Block, c.Parameters, c.Input, c.Result)]))));
        SimCharts.Write(Path.Combine(output, "charts"), run, agents);
        await stdout.WriteLineAsync($"sim run: {run.Chain.State.Block} blocks, {run.Chain.State.EpochsRun} epochs; wrote epochs.csv, subnets.csv, agents.csv, actions.csv, summary.json, epoch-cases.json, epoch-results.json and charts/ to {output}");
        return 0;
    }

    /// <summary>A <c>yuma-epoch-cases/1</c> document: one case per epoch, with one step.</summary>
    private static void WriteCases(Utf8JsonWriter w, IEnumerable<RecordedEpoch> cases)
    {
        w.WriteStartObject();
        w.WriteString("schema", "yuma-epoch-cases/1");
        w.WriteStartArray("cases");
        foreach (var c in cases) EpochCaseJson.WriteCase(w, c.Name, c.Parameters, c.Input);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void Summary(Utf8JsonWriter w, Scenario scenario, ScenarioRun run, string arithmetic, IReadOnlyList<AgentResult> agents)
    {
        w.WriteStartObject();
        w.WriteString("schema", "bittensor-sim-summary/1");
        w.WriteString("scenario", scenario.Name);
        w.WriteString("arithmetic", arithmetic);
        w.WriteNumber("blocks", run.Chain.State.Block);
        w.WriteNumber("epochs", run.Chain.State.EpochsRun);
        w.WriteNumber("total_issuance", run.Chain.State.TotalIssuance);
        w.WritePropertyName("agents");
        JsonSerializer.Serialize(w, agents, SnakeCase);
        w.WriteStartArray("subnets");
        foreach (var group in run.SubnetEpochs.GroupBy(r => r.Netuid))
        {
            var last = group.Last();
            w.WriteStartObject();
            w.WriteString("subnet", last.Subnet);
            w.WriteNumber("netuid", last.Netuid);
            w.WriteNumber("epochs", group.Count());
            w.WriteNumber("price", last.Price);
            w.WriteNumber("alpha_distributed", group.Aggregate(0UL, (sum, r) => sum + r.ServerEmission + r.ValidatorEmission + r.OwnerCut));
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static async Task WriteCsvAsync(string path, string header, IEnumerable<string> rows)
    {
        var text = new StringBuilder(header).Append('\n');
        foreach (string row in rows) text.Append(row).Append('\n');
        await File.WriteAllTextAsync(path, text.ToString());
    }

    /// <summary>A CSV field: quoted when it holds a comma, a quote or a line break.</summary>
    private static string Csv(string s) => s.AsSpan().IndexOfAny(",\"\n\r") < 0 ? s : $"\"{s.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
}
