import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** The readiness check's one query: does the database answer at all. */
@Injectable()
export class HealthRepository {
  constructor(private readonly dataSource: DataSource) {}

  async ping(): Promise<void> {
    await this.dataSource.query('SELECT 1');
  }
}
