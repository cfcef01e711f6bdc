using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ControlDropout.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class OneActiveRunPerCounty : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // A county that already has two active runs (the race this index closes) keeps its newest; the others fail, to be started again.
            migrationBuilder.Sql("""
                UPDATE "Runs" SET "Status" = 3, "Error" = '同县另有排课在进行，此次排课已停止，请重新开始'
                WHERE "Status" IN (0, 1)
                  AND "Id" <> (SELECT MAX(r."Id") FROM "Runs" AS r WHERE r."CountyCode" = "Runs"."CountyCode" AND r."Status" IN (0, 1));
                """);
            migrationBuilder.CreateIndex(
                name: "IX_Runs_OneActivePerCounty",
                table: "Runs",
                column: "CountyCode",
                unique: true,
                filter: "\"Status\" IN (0, 1)");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Runs_OneActivePerCounty",
                table: "Runs");
        }
    }
}
