import { Global, Module } from '@nestjs/common';
import { EventsService } from './events.service.js';
import { EventsController } from './events.controller.js';
import { EventStreamHub } from './event-stream-hub.js';

@Global()
@Module({ controllers: [EventsController], providers: [EventsService, EventStreamHub], exports: [EventsService] })
export class EventsModule {}
