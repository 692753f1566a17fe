using System.Text.Json;

namespace Bittensor.Consensus.Cases;

/// <summary>One executed step of a case: the block, the inputs the epoch saw, and its result.</summary>
public sealed record StepRun(ulong Block, EpochParameters Parameters, EpochInput Input, EpochResult Result);

/// <summary>One executed case.</summary>
public sealed record CaseRun(string Name, IReadOnlyList<StepRun> Steps);

/// <summary>
/// Executes <c>yuma-epoch-cases/1</c> cases with the schema's step semantics: apply <c>set</c>
/// (replace_neuron first), run one epoch at <c>block</c>, carry stored bonds and new permits forward.
/// </summary>
public static class EpochCaseRunner
{
    /// <summary>Runs every step of <paramref name="epochCase"/> on <paramref name="arithmetic"/>.</summary>
    /// <exception cref="CaseFormatException">The case is malformed or its inputs break an epoch rule.</exception>
    public static CaseRun Run(EpochCase epochCase, Arithmetic arithmetic)
    {
        var c = epochCase.Element;
        var state = new CaseState(epochCase.Name);
        if (c.TryGetProperty("params", out var prm)) state.ApplyParams(prm, "params");
        if (!c.TryGetProperty("initial_state", out var init)) throw new CaseFormatException(epochCase.Name, "initial_state", "required");
        state.ApplyInitial(init);
        if (!c.TryGetProperty("steps", out var steps) || steps.ValueKind != JsonValueKind.Array)
            throw new CaseFormatException(epochCase.Name, "steps", "expected an array of steps");

        var runs = new List<StepRun>();
        int k = 0;
        foreach (var step in steps.EnumerateArray())
        {
            string path = $"steps[{k}]";
            if (step.ValueKind != JsonValueKind.Object) throw new CaseFormatException(epochCase.Name, path, "a step must be an object");
            if (!step.TryGetProperty("block", out var b) || !b.TryGetUInt64(out ulong block))
                throw new CaseFormatException(epochCase.Name, path + ".block", "required non-negative integer");
            if (step.TryGetProperty("set", out var set)) state.ApplySet(set, path + ".set");
            var input = state.ToInput(block);
            EpochResult result;
            try
            {
                result = YumaEpoch.Run(state.Params, input, arithmetic);
            }
            catch (ArgumentException e)
            {
                throw new CaseFormatException(epochCase.Name, $"{path} ({e.ParamName ?? "input"})", OneLine(e));
            }
            runs.Add(new StepRun(block, state.Params, input, result));
            state.Carry(result);
            k++;
        }
        return new CaseRun(epochCase.Name, runs);
    }

    /// <summary>An argument exception's sentence on one line, without .NET's "(Parameter …)" and "Actual value" suffixes.</summary>
    private static string OneLine(ArgumentException e)
    {
        string message = e.Message.ReplaceLineEndings(" ");
        int cut = message.IndexOf(" (Parameter '", StringComparison.Ordinal);
        return cut >= 0 ? message[..cut] : message;
    }
}
