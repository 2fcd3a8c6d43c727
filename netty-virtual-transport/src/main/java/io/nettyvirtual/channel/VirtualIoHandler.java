package io.nettyvirtual.channel;

import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoOps;
import io.netty.channel.IoRegistration;
import io.netty.util.concurrent.ThreadAwareExecutor;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The {@link IoHandler} of a virtual event loop. There is no selector: datagrams arrive as tasks on the loop, so
 * the handler's only job is to wait for work in simulation time (through the simulation, never the wall clock)
 * and to close its channels when the loop shuts down.
 */
final class VirtualIoHandler implements IoHandler {
    private final VirtualEventLoop loop;
    private final Set<VirtualDatagramChannel.VirtualUnsafe> handles = new LinkedHashSet<>();

    private VirtualIoHandler(ThreadAwareExecutor executor) {
        this.loop = (VirtualEventLoop) executor;
        this.loop.ioHandler = this;
    }

    static IoHandlerFactory factory() {
        return VirtualIoHandler::new;
    }

    @Override
    public int run(IoHandlerContext context) {
        if (context.canBlock()) {
            // the loop's timers are its own (not Netty's scheduled-task queue, which the context reads)
            loop.registration.park(loop.nextDeadline());
        }
        return 0;
    }

    @Override
    public void wakeup() {
        if (loop.registration != null) {
            loop.registration.wakeup();
        }
    }

    @Override
    public void prepareToDestroy() {
        closeAll();
        loop.preparingToDestroy();
    }

    void closeAll() {
        for (VirtualDatagramChannel.VirtualUnsafe h : handles.toArray(new VirtualDatagramChannel.VirtualUnsafe[0])) {
            h.closeNow();
        }
        handles.clear();
    }

    @Override
    public IoRegistration register(IoHandle handle) {
        VirtualDatagramChannel.VirtualUnsafe h = (VirtualDatagramChannel.VirtualUnsafe) handle;
        if (!handles.add(h)) {
            throw new IllegalStateException("already registered: " + h);
        }
        return new Registration(h);
    }

    @Override
    public boolean isCompatible(Class<? extends IoHandle> handleType) {
        return VirtualDatagramChannel.VirtualUnsafe.class.isAssignableFrom(handleType);
    }

    private final class Registration implements IoRegistration {
        private final VirtualDatagramChannel.VirtualUnsafe handle;
        private boolean valid = true;

        Registration(VirtualDatagramChannel.VirtualUnsafe handle) {
            this.handle = handle;
        }

        @Override
        public <T> T attachment() {
            return null;
        }

        @Override
        public long submit(IoOps ops) {
            throw new UnsupportedOperationException("virtual channels submit no I/O operations");
        }

        @Override
        public boolean isValid() {
            return valid;
        }

        @Override
        public boolean cancel() {
            if (!valid) {
                return false;
            }
            valid = false;
            if (loop.inEventLoop()) {
                handles.remove(handle);
            } else {
                loop.execute(() -> handles.remove(handle));
            }
            return true;
        }
    }
}
