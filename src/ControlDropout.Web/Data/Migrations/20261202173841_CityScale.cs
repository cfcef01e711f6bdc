using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ControlDropout.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class CityScale : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "CoverageVersions",
                columns: table => new
                {
                    CountyCode = table.Column<string>(type: "TEXT", nullable: false),
                    TermId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CoverageVersions", x => new { x.CountyCode, x.TermId });
                });

            migrationBuilder.CreateIndex(
                name: "IX_Visits_CountyCode_StudentId",
                table: "Visits",
                columns: new[] { "CountyCode", "StudentId" });

            migrationBuilder.CreateIndex(
                name: "IX_Sessions_TimetableId_StudentId",
                table: "Sessions",
                columns: new[] { "TimetableId", "StudentId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CoverageVersions");

            migrationBuilder.DropIndex(
                name: "IX_Visits_CountyCode_StudentId",
                table: "Visits");

            migrationBuilder.DropIndex(
                name: "IX_Sessions_TimetableId_StudentId",
                table: "Sessions");
        }
    }
}
