-- AlterEnum
ALTER TYPE "NudgeKind" ADD VALUE 'survey';
