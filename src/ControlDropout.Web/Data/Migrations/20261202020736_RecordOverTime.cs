using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ControlDropout.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class RecordOverTime : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateOnly>(
                name: "EffectiveFrom",
                table: "Timetables",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "OriginTimetableId",
                table: "Sessions",
                type: "TEXT",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));

            migrationBuilder.AddColumn<int>(
                name: "MissedGraceHours",
                table: "Policies",
                type: "INTEGER",
                nullable: false,
                defaultValue: 48);

            migrationBuilder.AddColumn<int>(
                name: "TravelToleranceMinutes",
                table: "Policies",
                type: "INTEGER",
                nullable: false,
                defaultValue: 10);

            migrationBuilder.AddColumn<DateOnly>(
                name: "EffectiveFrom",
                table: "Plans",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "EffectiveUntil",
                table: "Plans",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "StartDate",
                table: "PlanVersions",
                type: "TEXT",
                nullable: true);

            // Sessions stored before versions were tracked were created by the version that holds them.
            migrationBuilder.Sql("UPDATE \"Sessions\" SET \"OriginTimetableId\" = \"TimetableId\";");
            // A session with a visit record is delivered (1) or, when its newest record says so, missed (2):
            // the fact the records already state, now kept on the session as recording does from here on.
            migrationBuilder.Sql("""
                UPDATE "Sessions" SET "Status" = CASE
                    (SELECT v."Missed" FROM "Visits" v WHERE v."SessionKey" = "Sessions"."SessionKey" ORDER BY v."Version" DESC LIMIT 1)
                    WHEN 1 THEN 2 ELSE 1 END
                WHERE "Status" = 0 AND EXISTS (SELECT 1 FROM "Visits" v WHERE v."SessionKey" = "Sessions"."SessionKey");
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "EffectiveFrom",
                table: "Timetables");

            migrationBuilder.DropColumn(
                name: "OriginTimetableId",
                table: "Sessions");

            migrationBuilder.DropColumn(
                name: "MissedGraceHours",
                table: "Policies");

            migrationBuilder.DropColumn(
                name: "TravelToleranceMinutes",
                table: "Policies");

            migrationBuilder.DropColumn(
                name: "EffectiveFrom",
                table: "Plans");

            migrationBuilder.DropColumn(
                name: "EffectiveUntil",
                table: "Plans");

            migrationBuilder.DropColumn(
                name: "StartDate",
                table: "PlanVersions");
        }
    }
}
