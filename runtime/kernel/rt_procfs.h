/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rt_procfs.h - procfs probes: files under /proc/systemtap/MODULE.  A
 * read of a file runs its .read probe once per open (at the first
 * read), whose $value is what the reader gets; each write() runs its
 * .write probe with the bytes written in $value, at most MAXSTRINGLEN - 1
 * of them (a longer write() is a short one: the writer writes the rest
 * again, which is another hit).  A file has at most one
 * probe of each direction; a second is refused with -EEXIST, reported as
 * any registration error.
 *
 * The handlers run from the proc file's read/write, in process context:
 * everything that may sleep (the buffer's allocation, copy_from_user,
 * copy_to_user) is done before or after the handler, which runs with
 * preemption off like every other (rt_run_fn).  The buffer is bounded:
 * MAXSTRINGLEN bytes with the NUL, or .maxsize(N) bytes plus the NUL
 * for a read probe.  It reaches the handler as the context's entry_data
 * (a procfs probe has no @entry), read through rt_procfs_io() by
 * tapset/procfs.stp's _procfs_value* functions, which pass 2 puts in
 * place of $value.
 *
 * Mode: 0400 for a read probe, 0200 for a write probe, both 0600; a
 * probe with .umask(U) gives 0444 & ~U (read) or 0222 & ~U (write)
 * instead, as stapprobes(3stap) describes.  proc_remove() waits for the
 * reads and writes in progress, so none runs once a file is gone.
 */
#ifndef RT_PROCFS_H
#define RT_PROCFS_H

/* $value's bytes: buf holds len bytes and a NUL, cap with the NUL. */
struct rt_procfs_io {
	char *buf;
	size_t len;
	size_t cap;
};

#ifdef RT_USE_PROCFS

#define RT_PROCFS_MAXFILES 32

struct rt_procfs_file {
	const char *name;
	struct proc_dir_entry *pde;
	struct rt_probe *read, *write;
};

static struct rt_procfs_file rt_procfs_files[RT_PROCFS_MAXFILES];
static struct proc_dir_entry *rt_procfs_top;	/* /proc/systemtap */
static struct proc_dir_entry *rt_procfs_dir;	/* .../MODULE */
static unsigned int rt_procfs_nopen;		/* files made */
static DEFINE_MUTEX(rt_procfs_lock);

/* The $value of this hit; NULL outside a procfs probe. */
static inline struct rt_procfs_io *rt_procfs_io(struct rt_context *c)
{
	return c->probe && c->probe->kind == RT_PROBE_PROCFS ?
	       c->entry_data : NULL;
}

static void rt_procfs_run(struct rt_probe *p, struct rt_procfs_io *io)
{
	preempt_disable();
	rt_run_fn(p, p->handler, NULL, RT_ST_RUNNING, NULL, io);
	preempt_enable();
}

/* One open file: the text a read probe gave, made at the first read. */
struct rt_procfs_open {
	struct rt_procfs_io io;
	bool filled;
};

static int rt_procfs_fopen(struct inode *inode, struct file *file)
{
	struct rt_procfs_file *f = pde_data(inode);
	struct rt_probe *p = READ_ONCE(f->read);
	struct rt_procfs_open *o;

	if (!(file->f_mode & FMODE_READ) || !p)
		return 0;
	o = kzalloc(sizeof(*o), GFP_KERNEL);
	if (!o)
		return -ENOMEM;
	o->io.cap = p->procfs_maxsize ? p->procfs_maxsize + 1 : MAXSTRINGLEN;
	o->io.buf = kvzalloc(o->io.cap, GFP_KERNEL);
	if (!o->io.buf) {
		kfree(o);
		return -ENOMEM;
	}
	file->private_data = o;
	return 0;
}

static int rt_procfs_release(struct inode *inode, struct file *file)
{
	struct rt_procfs_open *o = file->private_data;

	if (o) {
		kvfree(o->io.buf);
		kfree(o);
	}
	return 0;
}

static ssize_t rt_procfs_read(struct file *file, char __user *ubuf,
			      size_t n, loff_t *ppos)
{
	struct rt_procfs_file *f = pde_data(file_inode(file));
	struct rt_procfs_open *o = file->private_data;
	struct rt_probe *p = READ_ONCE(f->read);

	if (!o || !p)
		return -EIO;
	if (!o->filled) {
		rt_procfs_run(p, &o->io);
		o->filled = true;
	}
	return simple_read_from_buffer(ubuf, n, ppos, o->io.buf, o->io.len);
}

static ssize_t rt_procfs_write(struct file *file, const char __user *ubuf,
			       size_t n, loff_t *ppos)
{
	struct rt_procfs_file *f = pde_data(file_inode(file));
	struct rt_probe *p = READ_ONCE(f->write);
	struct rt_procfs_io io = { .cap = MAXSTRINGLEN };

	if (!p)
		return -EIO;
	/* At most one string: the writer's next write() gives the rest. */
	io.len = min_t(size_t, n, MAXSTRINGLEN - 1);
	io.buf = kzalloc(io.cap, GFP_KERNEL);
	if (!io.buf)
		return -ENOMEM;
	if (copy_from_user(io.buf, ubuf, io.len)) {
		kfree(io.buf);
		return -EFAULT;
	}
	rt_procfs_run(p, &io);
	kfree(io.buf);
	return io.len;
}

static const struct proc_ops rt_procfs_ops = {
	.proc_open = rt_procfs_fopen,
	.proc_release = rt_procfs_release,
	.proc_read = rt_procfs_read,
	.proc_write = rt_procfs_write,
	.proc_lseek = default_llseek,
};

/* The mode of file name: every procfs probe of the script on it. */
static umode_t rt_procfs_mode(const char *name)
{
	const struct rt_script *s = rt_sess.script;
	umode_t mode = 0;

	for (unsigned int i = 0; i < s->nprobes; i++) {
		const struct rt_probe *q = &s->probes[i];
		umode_t all = q->procfs_write ? 0222 : 0444;

		if (q->kind != RT_PROBE_PROCFS || strcmp(q->procfs_name, name))
			continue;
		if (q->procfs_umask)
			mode |= all & ~q->procfs_umask;
		else
			mode |= q->procfs_write ? 0200 : 0400;
	}
	return mode;
}

/* /proc/systemtap/MODULE, made with the first file. */
static int rt_procfs_dirs(void)
{
	if (rt_procfs_dir)
		return 0;
	rt_procfs_top = proc_mkdir("systemtap", NULL);
	if (!rt_procfs_top)
		return -EEXIST;	/* another module has it */
	rt_procfs_dir = proc_mkdir(KBUILD_MODNAME, rt_procfs_top);
	if (!rt_procfs_dir) {
		proc_remove(rt_procfs_top);
		rt_procfs_top = NULL;
		return -ENOMEM;
	}
	return 0;
}

/* The file called name, made if new; NULL when the table is full. */
static struct rt_procfs_file *rt_procfs_file(const char *name, int *err)
{
	struct rt_procfs_file *f, *free_slot = NULL;

	for (f = rt_procfs_files; f < rt_procfs_files + RT_PROCFS_MAXFILES;
	     f++) {
		if (f->name && !strcmp(f->name, name)) {
			*err = 0;
			return f;
		}
		if (!f->name && !free_slot)
			free_slot = f;
	}
	*err = -ENOSPC;
	if (!free_slot)
		return NULL;
	*err = rt_procfs_dirs();
	if (*err)
		return NULL;
	free_slot->pde = proc_create_data(name, rt_procfs_mode(name),
					  rt_procfs_dir, &rt_procfs_ops,
					  free_slot);
	*err = -ENOMEM;
	if (!free_slot->pde)
		return NULL;
	free_slot->name = name;
	rt_procfs_nopen++;
	*err = 0;
	return free_slot;
}

static int rt_procfs_register(struct rt_probe *p)
{
	struct rt_procfs_file *f;
	struct rt_probe **slot;
	int err = 0;

	mutex_lock(&rt_procfs_lock);
	f = rt_procfs_file(p->procfs_name, &err);
	if (f) {
		slot = p->procfs_write ? &f->write : &f->read;
		if (*slot)
			err = -EEXIST;	/* one probe per direction */
		else
			WRITE_ONCE(*slot, p);
	}
	mutex_unlock(&rt_procfs_lock);
	return err;
}

static void rt_procfs_unregister(struct rt_probe *p)
{
	struct rt_procfs_file *f;

	mutex_lock(&rt_procfs_lock);
	for (f = rt_procfs_files; f < rt_procfs_files + RT_PROCFS_MAXFILES;
	     f++) {
		if (f->read == p)
			WRITE_ONCE(f->read, NULL);
		if (f->write == p)
			WRITE_ONCE(f->write, NULL);
		if (!f->name || f->read || f->write)
			continue;
		proc_remove(f->pde);	/* waits for reads and writes */
		f->pde = NULL;
		f->name = NULL;
		rt_procfs_nopen--;
	}
	if (!rt_procfs_nopen && rt_procfs_dir) {
		proc_remove(rt_procfs_dir);
		proc_remove(rt_procfs_top);
		rt_procfs_dir = rt_procfs_top = NULL;
	}
	mutex_unlock(&rt_procfs_lock);
}

#else /* !RT_USE_PROCFS: the script has none (runtime.h) */

static inline struct rt_procfs_io *rt_procfs_io(struct rt_context *c)
{
	return NULL;
}

static inline int rt_procfs_register(struct rt_probe *p)
{
	return -EOPNOTSUPP;
}

static inline void rt_procfs_unregister(struct rt_probe *p)
{
}

#endif /* RT_USE_PROCFS */

#endif /* RT_PROCFS_H */
