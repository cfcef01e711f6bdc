using System.Collections.Immutable;
using System.Text.Json;

namespace ControlDropout.Scheduling.Scenarios;

public static partial class ScenarioReader
{
    // Places and the travel model between them.
    private sealed partial class Walker
    {
        private ImmutableArray<Place> ReadPlaces(JsonElement root)
        {
            var result = ImmutableArray.CreateBuilder<Place>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (item, p) in Array(root, "$", "places"))
            {
                if (!ExpectObject(item, p, "id", "name", "lat", "lon"))
                {
                    continue;
                }
                var id = String(item, p, "id");
                var name = String(item, p, "name");
                var lat = Number(item, p, "lat", -90, 90, exclusiveMin: false);
                var lon = Number(item, p, "lon", -180, 180, exclusiveMin: false);
                if (id is not null && !seen.Add(id))
                {
                    Error(Join(p, "id"), $"duplicate place id '{id}'");
                    continue;
                }
                if (id is null || name is null || lat is null || lon is null)
                {
                    continue;
                }
                result.Add(new Place(new PlaceId(id), name, lat.Value, lon.Value));
            }
            return result.ToImmutable();
        }

        private TravelModel? ReadTravel(JsonElement root, HashSet<PlaceId> placeIds)
        {
            const string at = "travel";
            if (Prop(root, "$", "travel", required: true) is not { } travel || !ExpectObject(travel, at, "model", "speedKmh", "detourFactor", "matrix"))
            {
                return null;
            }
            var model = String(travel, at, "model");
            switch (model)
            {
                case "haversine":
                    if (travel.TryGetProperty("matrix", out _))
                    {
                        Error("travel.matrix", "only for model 'matrix'");
                    }
                    var speed = Number(travel, at, "speedKmh", 0, 200, exclusiveMin: true);
                    var detour = Number(travel, at, "detourFactor", 1, 10, exclusiveMin: false);
                    return speed is { } s && detour is { } d ? new HaversineTravel(s, d) : null;
                case "matrix":
                    foreach (var name in new[] { "speedKmh", "detourFactor" })
                    {
                        if (travel.TryGetProperty(name, out _))
                        {
                            Error(Join(at, name), "only for model 'haversine'");
                        }
                    }
                    return ReadMatrix(travel, placeIds);
                case null:
                    return null;
                default:
                    Error("travel.model", $"'{model}' is not a travel model: use 'haversine' or 'matrix'");
                    return null;
            }
        }

        private MatrixTravel? ReadMatrix(JsonElement travel, HashSet<PlaceId> placeIds)
        {
            const string at = "travel.matrix";
            if (Prop(travel, "travel", "matrix", required: true) is not { } matrix || !ExpectObject(matrix, at, "placeIds", "minutes"))
            {
                return null;
            }
            var ids = Strings(matrix, at, "placeIds");
            for (var i = 0; i < ids.Length; i++)
            {
                if (!placeIds.Contains(new PlaceId(ids[i])))
                {
                    Error($"{at}.placeIds[{i}]", $"unknown place '{ids[i]}'");
                }
            }
            var rows = Array(matrix, at, "minutes");
            var ok = true;
            if (rows.Count != ids.Length)
            {
                Error($"{at}.minutes", $"has {rows.Count} rows for {ids.Length} places");
                ok = false;
            }
            var result = ImmutableArray.CreateBuilder<ImmutableArray<int>>();
            foreach (var (row, p) in rows)
            {
                if (row.ValueKind != JsonValueKind.Array)
                {
                    Error(p, $"must be an array, found {Kind(row)}");
                    ok = false;
                    continue;
                }
                if (row.GetArrayLength() != ids.Length)
                {
                    Error(p, $"has {row.GetArrayLength()} entries for {ids.Length} places");
                    ok = false;
                    continue;
                }
                var cells = ImmutableArray.CreateBuilder<int>();
                var j = 0;
                foreach (var cell in row.EnumerateArray())
                {
                    if (cell.ValueKind != JsonValueKind.Number || !cell.TryGetInt32(out var minutes) || minutes < 0)
                    {
                        Error($"{p}[{j}]", $"must be a whole number of minutes, 0 or more, found {Describe(cell)}");
                        ok = false;
                    }
                    else
                    {
                        cells.Add(minutes);
                    }
                    j++;
                }
                result.Add(cells.ToImmutable());
            }
            return ok ? new MatrixTravel([.. ids.Select(i => new PlaceId(i))], result.ToImmutable()) : null;
        }

        private void CheckMatrixCoversUsedPlaces(MatrixTravel matrix, List<Teacher> teachers, List<Student> students)
        {
            var inMatrix = matrix.PlaceIds.ToHashSet();
            for (var i = 0; i < teachers.Count; i++)
            {
                if (!inMatrix.Contains(teachers[i].BasePlaceId))
                {
                    Error($"travel.matrix.placeIds", $"missing place '{teachers[i].BasePlaceId}', the base of teacher '{teachers[i].Id}'");
                }
            }
            foreach (var student in students)
            {
                if (!inMatrix.Contains(student.PlaceId))
                {
                    Error($"travel.matrix.placeIds", $"missing place '{student.PlaceId}', the home of student '{student.Id}'");
                }
            }
        }
    }
}
