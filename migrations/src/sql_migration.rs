use sea_orm_migration::prelude::*;

/// A migration written as SQL files: `up` applies it, `down` reverts it.
/// Both run inside the migrator's transaction.
pub struct SqlMigration {
    pub name: &'static str,
    pub up: &'static str,
    pub down: &'static str,
}

impl MigrationName for SqlMigration {
    fn name(&self) -> &str {
        self.name
    }
}

#[async_trait::async_trait]
impl MigrationTrait for SqlMigration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.get_connection().execute_unprepared(self.up).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.get_connection().execute_unprepared(self.down).await?;
        Ok(())
    }
}
